package io.aegis.gateway.mesh;

import io.aegis.gateway.mesh.internal.Fields;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** Reads the {@code traffic} section of a descriptor: keys as in {@code aegis.upstreams.<name>.*}. */
final class TrafficReader {

    private TrafficReader() {
    }

    static MeshTraffic read(Fields t) {
        t.only("timeouts", "retry", "circuit-breaker", "bulkhead", "outlier-detection", "health-check", "strategy", "targets");
        MeshTraffic d = MeshTraffic.defaults();
        Fields to = t.object("timeouts").only("connect", "per-try", "total");
        MeshTraffic.Timeouts timeouts = to.build(() -> new MeshTraffic.Timeouts(
                to.duration("connect", d.timeouts().connect()), to.duration("per-try", d.timeouts().perTry()),
                to.duration("total", d.timeouts().total())));
        Fields r = t.object("retry").only("max-attempts", "on", "budget-ratio", "layer");
        TreeSet<Integer> on = new TreeSet<>();
        if (r.has("on")) {
            for (String s : r.strings("on")) {
                try {
                    on.add(Integer.parseInt(s));
                } catch (NumberFormatException e) {
                    throw new MeshConfigException("traffic.retry.on", "'" + s + "' (expected: HTTP statuses such as 502, 503)", e);
                }
            }
        } else {
            on.addAll(d.retry().retryOn());
        }
        MeshTraffic.Retry retry = r.build(() -> new MeshTraffic.Retry(r.integer("max-attempts", d.retry().maxAttempts(), 1, 10),
                on, r.number("budget-ratio", d.retry().budgetRatio())));
        MeshTraffic.RetryLayer layer = r.parse("layer", s -> MeshTraffic.RetryLayer.valueOf(
                s.replace('-', '_').toUpperCase(Locale.ROOT)), MeshTraffic.RetryLayer.IN_PROCESS, "in-process or mesh");
        Fields cb = t.object("circuit-breaker").only("enabled", "failure-threshold", "failure-rate-window", "open-duration");
        MeshTraffic.CircuitBreaker dcb = d.circuitBreaker();
        MeshTraffic.CircuitBreaker breaker = cb.build(() -> new MeshTraffic.CircuitBreaker(cb.bool("enabled", dcb.enabled()),
                cb.integer("failure-threshold", dcb.failureThreshold(), 1, 1000),
                cb.duration("failure-rate-window", dcb.failureRateWindow()), cb.duration("open-duration", dcb.openDuration())));
        Fields bh = t.object("bulkhead").only("max-concurrent", "max-queue", "max-wait");
        MeshTraffic.Bulkhead db = d.bulkhead();
        MeshTraffic.Bulkhead bulkhead = bh.build(() -> new MeshTraffic.Bulkhead(bh.integer("max-concurrent", db.maxConcurrent(), 1, 100_000),
                bh.integer("max-queue", db.maxQueue(), 0, 100_000), bh.duration("max-wait", db.maxWait())));
        Fields od = t.object("outlier-detection").only("enabled", "consecutive-5xx", "consecutive-gateway-failures",
                "base-ejection-time", "max-ejection-percent");
        MeshTraffic.OutlierDetection dod = d.outlierDetection();
        MeshTraffic.OutlierDetection outlier = od.build(() -> new MeshTraffic.OutlierDetection(od.bool("enabled", dod.enabled()),
                od.integer("consecutive-5xx", dod.consecutive5xx(), 1, 1000),
                od.integer("consecutive-gateway-failures", dod.consecutiveGatewayFailures(), 1, 1000),
                od.duration("base-ejection-time", dod.baseEjectionTime()),
                od.integer("max-ejection-percent", dod.maxEjectionPercent(), 0, 100)));
        MeshTraffic.HealthCheck health = null;
        if (t.has("health-check")) {
            Fields hc = t.object("health-check").only("path", "interval", "timeout", "healthy-threshold", "unhealthy-threshold");
            health = hc.build(() -> new MeshTraffic.HealthCheck(hc.string("path"),
                    hc.duration("interval", java.time.Duration.ofSeconds(10)), hc.duration("timeout", java.time.Duration.ofSeconds(1)),
                    hc.integer("healthy-threshold", 2, 1, 255), hc.integer("unhealthy-threshold", 3, 1, 255)));
        }
        MeshTraffic.LoadBalancing lb = t.parse("strategy", s -> MeshTraffic.LoadBalancing.valueOf(
                        s.replace('-', '_').toUpperCase(Locale.ROOT)), d.loadBalancing(),
                "round-robin, weighted-round-robin, least-requests or priority");
        List<MeshTraffic.Target> targets = t.strings("targets").stream().map(MeshTraffic.Target::parse).toList();
        MeshTraffic.HealthCheck h = health;
        return t.build(() -> new MeshTraffic(timeouts, retry, layer, breaker, bulkhead, outlier, h, lb, targets));
    }
}
