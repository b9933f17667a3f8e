package io.aegis.gateway.config;

import io.aegis.gateway.resilience.BulkheadSettings;
import io.aegis.gateway.resilience.CircuitBreakerSettings;
import io.aegis.gateway.resilience.HealthCheckSettings;
import io.aegis.gateway.resilience.IdentityPropagation;
import io.aegis.gateway.resilience.LoadBalancing;
import io.aegis.gateway.resilience.OutlierDetection;
import io.aegis.gateway.resilience.RetrySettings;
import io.aegis.gateway.resilience.Target;
import io.aegis.gateway.resilience.Timeouts;
import io.aegis.gateway.resilience.UpstreamPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the upstreams of a service: {@code aegis.upstreams.<name>.*}, every key listed with its
 * default in {@code docs/configuration.md}; each has a builder method on {@link UpstreamPolicy}
 * and its settings types, and both paths give equal policies.
 *
 * <p>An upstream exists when its {@code targets} key is set. Names are found among the property
 * names, and also from environment variables alone: {@code AEGIS_UPSTREAMS_USER_SERVICE_TARGETS}
 * defines the upstream {@code user-service} (upstream names are DNS labels, so every underscore
 * of the variable's middle part stands for a hyphen), and its other keys are then found under the
 * MicroProfile mapping ({@code AEGIS_UPSTREAMS_USER_SERVICE_STRATEGY}, ...).
 */
public final class UpstreamConfig {

    /** The prefix of every upstream key. */
    public static final String PREFIX = "aegis.upstreams.";

    private static final Pattern ENV_TARGETS = Pattern.compile("AEGIS_UPSTREAMS_([A-Z0-9_]+)_TARGETS");

    private UpstreamConfig() {
    }

    /**
     * Reads every configured upstream, sorted by name.
     *
     * @throws ConfigException naming the first invalid key, its value and the rule
     */
    public static List<UpstreamPolicy> read(AegisConfig c) {
        List<UpstreamPolicy> out = new ArrayList<>();
        for (String name : names(c)) {
            out.add(read(c, name));
        }
        return List.copyOf(out);
    }

    /** The names of the configured upstreams. */
    public static Set<String> names(AegisConfig c) {
        Set<String> names = new TreeSet<>(c.childNames("aegis.upstreams"));
        for (String property : c.propertyNames()) {
            Matcher m = ENV_TARGETS.matcher(property);
            if (m.matches()) {
                names.add(m.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return names;
    }

    /**
     * Reads one upstream.
     *
     * @throws ConfigException naming the first invalid key, its value and the rule
     */
    public static UpstreamPolicy read(AegisConfig c, String name) {
        String p = PREFIX + name + ".";
        UpstreamPolicy.Builder b = build(p + "targets", name, () -> UpstreamPolicy.builder(name));
        String targets = c.string(p + "targets").orElseThrow(() -> new ConfigException(p + "targets", null,
                "expected: host:port[;weight[;priority]],... for upstream " + name));
        b.targets(c.parse(p + "targets", Target::parseList).orElseThrow());
        c.string(p + "scheme").ifPresent(s -> apply(p + "scheme", s, () -> b.scheme(s.toLowerCase(Locale.ROOT))));
        b.loadBalancing(c.choice(p + "strategy", LoadBalancing.class, LoadBalancing.WEIGHTED_ROUND_ROBIN));
        b.identity(c.choice(p + "identity", IdentityPropagation.class, IdentityPropagation.FORWARD));

        Timeouts dt = Timeouts.defaults();
        Duration connect = c.duration(p + "timeouts.connect", dt.connect());
        Duration perTry = c.duration(p + "timeouts.per-try", dt.perTry());
        Duration total = c.duration(p + "timeouts.total", dt.total());
        b.timeouts(build(p + "timeouts", perTry + "/" + total, () -> new Timeouts(connect, perTry, total)));

        RetrySettings dr = RetrySettings.defaults();
        int attempts = c.integer(p + "retry.max-attempts", dr.maxAttempts(), 1, 10);
        Duration initial = c.duration(p + "retry.backoff.initial", dr.initialBackoff());
        Duration max = c.duration(p + "retry.backoff.max", dr.maxBackoff());
        Set<Integer> on = new LinkedHashSet<>(dr.retryOn());
        if (c.string(p + "retry.on").isPresent()) {
            on.clear();
            for (String s : c.list(p + "retry.on")) {
                on.add(c.parse(p + "retry.on", v -> Integer.parseInt(s)).orElseThrow());
            }
        }
        double ratio = c.parse(p + "retry.budget.ratio", Double::parseDouble).orElse(dr.budgetRatio());
        int minPerSecond = c.integer(p + "retry.budget.min-retries-per-second", dr.budgetMinPerSecond(), 0, 10_000);
        Duration window = c.duration(p + "retry.budget.window", dr.budgetWindow());
        b.retry(build(p + "retry", null, () -> RetrySettings.builder().maxAttempts(attempts).backoff(initial, max)
                .retryOn(on).budget(ratio, minPerSecond, window).build()));

        CircuitBreakerSettings dc = CircuitBreakerSettings.defaults();
        String cb = p + "circuit-breaker.";
        boolean cbEnabled = c.bool(cb + "enabled", true);
        int failures = c.integer(cb + "failure-threshold", dc.failureThreshold(), 1, 1000);
        int failureWindow = c.integer(cb + "failure-window", Math.max(dc.failureWindow(), failures), 1, 1000);
        int rate = c.integer(cb + "failure-rate-threshold", dc.failureRateThreshold(), 1, 100);
        Duration rateWindow = c.duration(cb + "failure-rate-window", dc.failureRateWindow());
        int minimumCalls = c.integer(cb + "failure-rate-minimum-calls", dc.failureRateMinimumCalls(), 1, 1_000_000);
        Duration open = c.duration(cb + "open-duration", dc.openDuration());
        int probes = c.integer(cb + "half-open-calls", dc.halfOpenCalls(), 1, 100);
        b.circuitBreaker(build(p + "circuit-breaker", null, () -> CircuitBreakerSettings.builder().enabled(cbEnabled)
                .failureThreshold(failures, failureWindow).failureRate(rate, rateWindow, minimumCalls)
                .openDuration(open).halfOpenCalls(probes).build()));

        BulkheadSettings db = BulkheadSettings.defaults();
        int concurrent = c.integer(p + "bulkhead.max-concurrent", db.maxConcurrent(), 1, 100_000);
        int queue = c.integer(p + "bulkhead.max-queue", db.maxQueue(), 0, 100_000);
        Duration wait = c.duration(p + "bulkhead.max-wait", db.maxWait());
        b.bulkhead(build(p + "bulkhead", null, () -> new BulkheadSettings(concurrent, queue, wait)));

        String hc = p + "health-check.";
        if (c.string(hc + "path").isPresent()) {
            HealthCheckSettings dh = HealthCheckSettings.of("/");
            String path = c.string(hc + "path").get();
            Duration interval = c.duration(hc + "interval", dh.interval());
            Duration timeout = c.duration(hc + "timeout", dh.timeout());
            int healthy = c.integer(hc + "healthy-threshold", dh.healthyThreshold(), 1, 100);
            int unhealthy = c.integer(hc + "unhealthy-threshold", dh.unhealthyThreshold(), 1, 100);
            b.healthCheck(build(hc + "path", path, () -> new HealthCheckSettings(path, interval, timeout, healthy, unhealthy)));
        }

        OutlierDetection dOd = OutlierDetection.defaults();
        String od = p + "outlier-detection.";
        boolean odEnabled = c.bool(od + "enabled", true);
        int c5xx = c.integer(od + "consecutive-5xx", dOd.consecutive5xx(), 1, 1000);
        int cgw = c.integer(od + "consecutive-gateway-failures", dOd.consecutiveGatewayFailures(), 1, 1000);
        Duration base = c.duration(od + "base-ejection-time", dOd.baseEjectionTime());
        Duration maxEjection = c.duration(od + "max-ejection-time", dOd.maxEjectionTime());
        int percent = c.integer(od + "max-ejection-percent", dOd.maxEjectionPercent(), 0, 100);
        b.outlierDetection(build(p + "outlier-detection", null,
                () -> new OutlierDetection(odEnabled, c5xx, cgw, base, maxEjection, percent)));
        return build(p + "targets", targets, b::build);
    }

    private static <T> T build(String key, String value, Supplier<T> s) {
        try {
            return s.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage(), e);
        }
    }

    private static void apply(String key, String value, Runnable r) {
        try {
            r.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage(), e);
        }
    }
}
