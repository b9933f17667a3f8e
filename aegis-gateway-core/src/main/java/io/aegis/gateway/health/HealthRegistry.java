package io.aegis.gateway.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The health checks of a service, by kind: liveness (restart me if DOWN), readiness (send me no
 * traffic while DOWN) and startup. Thread-safe; checks may be added at any time.
 */
public final class HealthRegistry {

    /** The kinds of probe, as in MicroProfile Health. */
    public enum Kind {
        LIVENESS,
        READINESS,
        STARTUP
    }

    private final Map<Kind, List<Named>> checks = new ConcurrentHashMap<>();

    /** Registers a check under a kind; a later check with the same name replaces the earlier. */
    public HealthRegistry register(Kind kind, String name, HealthCheck check) {
        List<Named> list = checks.computeIfAbsent(kind, k -> new CopyOnWriteArrayList<>());
        list.removeIf(n -> n.name.equals(name));
        list.add(new Named(name, check));
        return this;
    }

    /** Runs the checks of one kind. */
    public HealthReport report(Kind kind) {
        List<HealthCheckResult> out = new ArrayList<>();
        for (Named n : checks.getOrDefault(kind, List.of())) {
            out.add(run(n));
        }
        return new HealthReport(out);
    }

    /** Runs every check (the {@code /health} endpoint). */
    public HealthReport reportAll() {
        List<HealthCheckResult> out = new ArrayList<>();
        for (Kind k : Kind.values()) {
            for (Named n : checks.getOrDefault(k, List.of())) {
                out.add(run(n));
            }
        }
        return new HealthReport(out);
    }

    private static HealthCheckResult run(Named n) {
        try {
            HealthCheckResult r = n.check.check();
            return r != null ? r : HealthCheckResult.down(n.name, "the check returned nothing");
        } catch (RuntimeException | Error e) {
            // A missing class (an optional backend's library) is as much a failed check as an exception.
            if (e instanceof VirtualMachineError vme) {
                throw vme;
            }
            return HealthCheckResult.down(n.name, "the check failed: " + e.getClass().getSimpleName());
        }
    }

    private record Named(String name, HealthCheck check) {
    }
}
