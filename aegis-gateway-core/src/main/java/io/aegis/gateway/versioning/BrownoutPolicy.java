package io.aegis.gateway.versioning;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Stage;
import java.time.Instant;
import java.util.Objects;

/**
 * Refuses calls of a version during its {@linkplain Brownout brownouts} with the same 410
 * {@code version-sunset} problem as after the sunset (members {@code brownout: true} and
 * {@code brownout_until}). Runs at {@link Stage#AUTHORIZATION}, after authentication, because a
 * percentage brownout is decided per client (API key, subject, or address for anonymous calls).
 *
 * <p>Immutable and thread-safe; made by {@link VersionManager#policies}.
 */
public final class BrownoutPolicy implements GatewayPolicy {

    private final VersionManager manager;

    BrownoutPolicy(VersionManager manager) {
        this.manager = Objects.requireNonNull(manager, "manager");
    }

    @Override
    public Stage stage() {
        return Stage.AUTHORIZATION;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        ResolvedVersion rv = exchange.attribute(ResolvedVersion.ATTRIBUTE);
        if (rv == null || rv.version().brownout() == null) {
            return Decision.proceed();
        }
        ApiVersion v = rv.version();
        Instant until = v.brownout().refusedUntil(manager.clock().instant(), VersionManager.clientKey(exchange), v.id(),
                v.deprecation(), v.sunset());
        return until == null ? Decision.proceed() : Decision.reject(VersionPolicy.goneProblem(v, until).build());
    }
}
