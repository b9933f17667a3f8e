package io.aegis.gateway.mesh;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import io.aegis.gateway.mesh.internal.Durations;

/**
 * How callers reach the service: the settings of the in-process client every Aegis caller uses
 * for it ({@code aegis.upstreams.<service>.*}: time limits, retries, circuit breaker, bulkhead,
 * outlier ejection, health checks, load balancing) and the targets the edge sends to. The mesh
 * projections derive from the same values: Istio's {@code DestinationRule} connection pool and
 * outlier detection, the {@code VirtualService} timeout and retries, Kong's upstream and its
 * health checks.
 *
 * <p>Which layer retries is chosen by {@link #retryLayer()}: {@link RetryLayer#IN_PROCESS} (the
 * default) lets the caller's client retry with its budget and jitter, and the mesh retries only a
 * connection that could not be made (the request never reached a server); {@link RetryLayer#MESH}
 * moves the retries into Envoy and expects the callers' clients to try once.
 *
 * <p>Defaults mirror the in-process client: connect 1s, 2s per try, 5s in all; 3 attempts on
 * 502, 503, 504 with a 20% budget; breaker 5 failures, open 30s, rate window 10s; bulkhead 64
 * concurrent and 64 waiting; ejection after 5 5xx or 5 gateway failures in a row, 30s growing,
 * at most 50%; no active health checks; weighted round robin; one target, the Kubernetes Service.
 * Immutable and thread-safe.
 */
@UnstableApi
public record MeshTraffic(Timeouts timeouts, Retry retry, RetryLayer retryLayer, CircuitBreaker circuitBreaker,
                          Bulkhead bulkhead, OutlierDetection outlierDetection, HealthCheck healthCheck,
                          LoadBalancing loadBalancing, List<Target> targets) {

    public MeshTraffic {
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(retryLayer, "retryLayer");
        Objects.requireNonNull(circuitBreaker, "circuitBreaker");
        Objects.requireNonNull(bulkhead, "bulkhead");
        Objects.requireNonNull(outlierDetection, "outlierDetection");
        Objects.requireNonNull(loadBalancing, "loadBalancing");
        targets = targets == null ? List.of() : List.copyOf(targets);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Target t : targets) {
            if (!seen.add(t.authority())) {
                throw new MeshConfigException("traffic.targets", t.authority() + " is listed twice (expected: distinct targets)");
            }
        }
    }

    /** The in-process client's defaults. */
    public static MeshTraffic defaults() {
        return new MeshTraffic(Timeouts.defaults(), Retry.defaults(), RetryLayer.IN_PROCESS, CircuitBreaker.defaults(),
                Bulkhead.defaults(), OutlierDetection.defaults(), null, LoadBalancing.WEIGHTED_ROUND_ROBIN, List.of());
    }

    /** Which layer retries failed calls. */
    public enum RetryLayer {
        /** The callers' in-process clients retry; the mesh retries only connections never made. */
        IN_PROCESS,
        /** Envoy retries; the callers' clients try once. */
        MESH
    }

    /** How calls are spread over targets (names as in the in-process client). */
    public enum LoadBalancing {
        ROUND_ROBIN,
        WEIGHTED_ROUND_ROBIN,
        LEAST_REQUESTS,
        PRIORITY
    }

    /**
     * @param connect the connect timeout
     * @param perTry the limit of one try
     * @param total the limit of a whole call, retries included
     */
    public record Timeouts(Duration connect, Duration perTry, Duration total) {
        public Timeouts {
            positive("traffic.timeouts.connect", connect);
            positive("traffic.timeouts.per-try", perTry);
            positive("traffic.timeouts.total", total);
            if (perTry.compareTo(total) > 0) {
                throw new MeshConfigException("traffic.timeouts.per-try", Durations.go(perTry)
                        + " (expected: at most the total " + Durations.go(total) + ")");
            }
            if (connect.compareTo(total) > 0) {
                throw new MeshConfigException("traffic.timeouts.connect", Durations.go(connect)
                        + " (expected: at most the total " + Durations.go(total) + ")");
            }
        }

        public static Timeouts defaults() {
            return new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));
        }
    }

    /**
     * @param maxAttempts tries per call, the first included (1: no retries)
     * @param retryOn the statuses worth another try
     * @param budgetRatio the share of calls that may be retried, 0 to 1
     */
    public record Retry(int maxAttempts, Set<Integer> retryOn, double budgetRatio) {
        public Retry {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new MeshConfigException("traffic.retry.max-attempts", maxAttempts + " (expected: 1 to 10)");
            }
            retryOn = java.util.Collections.unmodifiableSet(new TreeSet<>(retryOn == null ? Set.of() : retryOn));
            for (int s : retryOn) {
                if (s < 500 || s > 599) {
                    throw new MeshConfigException("traffic.retry.on", s + " (expected: 5xx statuses)");
                }
            }
            if (!(budgetRatio >= 0 && budgetRatio <= 1)) {
                throw new MeshConfigException("traffic.retry.budget-ratio", budgetRatio + " (expected: 0 to 1)");
            }
        }

        public static Retry defaults() {
            return new Retry(3, Set.of(502, 503, 504), 0.2);
        }
    }

    /**
     * @param enabled {@code false}: never opens
     * @param failureThreshold failures that open the breaker
     * @param failureRateWindow the window the failure rate looks back over
     * @param openDuration how long an open breaker refuses the target
     */
    public record CircuitBreaker(boolean enabled, int failureThreshold, Duration failureRateWindow, Duration openDuration) {
        public CircuitBreaker {
            if (failureThreshold < 1 || failureThreshold > 1000) {
                throw new MeshConfigException("traffic.circuit-breaker.failure-threshold", failureThreshold + " (expected: 1 to 1000)");
            }
            positive("traffic.circuit-breaker.failure-rate-window", failureRateWindow);
            positive("traffic.circuit-breaker.open-duration", openDuration);
        }

        public static CircuitBreaker defaults() {
            return new CircuitBreaker(true, 5, Duration.ofSeconds(10), Duration.ofSeconds(30));
        }
    }

    /**
     * @param maxConcurrent requests in flight at most
     * @param maxQueue requests that may wait for a place
     * @param maxWait how long one waits at most
     */
    public record Bulkhead(int maxConcurrent, int maxQueue, Duration maxWait) {
        public Bulkhead {
            if (maxConcurrent < 1 || maxConcurrent > 100_000) {
                throw new MeshConfigException("traffic.bulkhead.max-concurrent", maxConcurrent + " (expected: 1 to 100000)");
            }
            if (maxQueue < 0 || maxQueue > 100_000) {
                throw new MeshConfigException("traffic.bulkhead.max-queue", maxQueue + " (expected: 0 to 100000)");
            }
            positive("traffic.bulkhead.max-wait", maxWait);
        }

        public static Bulkhead defaults() {
            return new Bulkhead(64, 64, Duration.ofMillis(100));
        }
    }

    /**
     * @param enabled {@code false}: never ejects
     * @param consecutive5xx 5xx answers in a row that eject a target
     * @param consecutiveGatewayFailures failures without an answer in a row that eject a target
     * @param baseEjectionTime the first ejection's length
     * @param maxEjectionPercent the largest share of targets ejected at once
     */
    public record OutlierDetection(boolean enabled, int consecutive5xx, int consecutiveGatewayFailures,
                                   Duration baseEjectionTime, int maxEjectionPercent) {
        public OutlierDetection {
            if (consecutive5xx < 1 || consecutiveGatewayFailures < 1) {
                throw new MeshConfigException("traffic.outlier-detection", consecutive5xx + "/" + consecutiveGatewayFailures
                        + " (expected: consecutive-5xx and consecutive-gateway-failures >= 1)");
            }
            positive("traffic.outlier-detection.base-ejection-time", baseEjectionTime);
            if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
                throw new MeshConfigException("traffic.outlier-detection.max-ejection-percent", maxEjectionPercent + " (expected: 0 to 100)");
            }
        }

        public static OutlierDetection defaults() {
            return new OutlierDetection(true, 5, 5, Duration.ofSeconds(30), 50);
        }
    }

    /**
     * Active health checks: a {@code GET} of {@code path} every {@code interval}.
     *
     * @param path the path checked, starting with {@code /}
     * @param interval time between checks
     * @param timeout the limit of one check
     * @param healthyThreshold passes in a row that make a target healthy
     * @param unhealthyThreshold failures in a row that make it unhealthy
     */
    public record HealthCheck(String path, Duration interval, Duration timeout, int healthyThreshold,
                              int unhealthyThreshold) {
        public HealthCheck {
            if (path == null || !path.startsWith("/")) {
                throw new MeshConfigException("traffic.health-check.path", "'" + path + "' (expected: a path starting with '/')");
            }
            positive("traffic.health-check.interval", interval);
            positive("traffic.health-check.timeout", timeout);
            if (healthyThreshold < 1 || healthyThreshold > 255 || unhealthyThreshold < 1 || unhealthyThreshold > 255) {
                throw new MeshConfigException("traffic.health-check", healthyThreshold + "/" + unhealthyThreshold
                        + " (expected: healthy-threshold and unhealthy-threshold 1 to 255)");
            }
        }
    }

    /**
     * One target of the edge's upstream.
     *
     * @param host a DNS name or IP literal
     * @param port 1 to 65535
     * @param weight relative weight, 0 to 65535
     */
    public record Target(String host, int port, int weight) {
        public Target {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new MeshConfigException("traffic.targets", host + ":" + port + " (expected: a port 1 to 65535)");
            }
            if (weight < 0 || weight > 65535) {
                throw new MeshConfigException("traffic.targets", host + ":" + port + ";" + weight + " (expected: a weight 0 to 65535)");
            }
        }

        /**
         * Parses {@code host:port[;weight]}.
         *
         * @throws MeshConfigException naming the text
         */
        public static Target parse(String text) {
            String t = text.trim();
            int semi = t.indexOf(';');
            String hostPort = semi < 0 ? t : t.substring(0, semi);
            int colon = hostPort.lastIndexOf(':');
            try {
                int weight = semi < 0 ? 100 : Integer.parseInt(t.substring(semi + 1).trim());
                return new Target(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)), weight);
            } catch (RuntimeException e) {
                if (e instanceof MeshConfigException m) {
                    throw m;
                }
                throw new MeshConfigException("traffic.targets", "'" + text + "' (expected: host:port[;weight])", e);
            }
        }

        /** {@code host:port}. */
        public String authority() {
            return host + ":" + port;
        }
    }

    private static void positive(String field, Duration d) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw new MeshConfigException(field, d + " (expected: a positive duration)");
        }
    }
}
