package io.aegis.gateway.resilience;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the policy model says about one upstream a service calls: its targets and how calls
 * are spread over them, the time limits, retries, circuit breakers, bulkhead, health checks and
 * outlier ejection, and which identity calls carry. The in-process {@link ServiceClient} enforces
 * it; the mesh projections (Kong upstreams, Istio DestinationRules) read the same values.
 *
 * <p>Part of {@link io.aegis.gateway.policy.ServicePolicy#upstreams()}; configured under
 * {@code aegis.upstreams.<name>.*} or with {@link #builder(String)}. Immutable and thread-safe;
 * equal when every setting is equal.
 */
public final class UpstreamPolicy {

    private final String name;
    private final String scheme;
    private final List<Target> targets;
    private final LoadBalancing loadBalancing;
    private final IdentityPropagation identity;
    private final Timeouts timeouts;
    private final RetrySettings retry;
    private final CircuitBreakerSettings circuitBreaker;
    private final BulkheadSettings bulkhead;
    private final HealthCheckSettings healthCheck;
    private final OutlierDetection outlierDetection;

    private UpstreamPolicy(Builder b) {
        this.name = b.name;
        this.scheme = b.scheme;
        this.targets = List.copyOf(b.targets);
        this.loadBalancing = b.loadBalancing;
        this.identity = b.identity;
        this.timeouts = b.timeouts;
        this.retry = b.retry;
        this.circuitBreaker = b.circuitBreaker;
        this.bulkhead = b.bulkhead;
        this.healthCheck = b.healthCheck;
        this.outlierDetection = b.outlierDetection;
    }

    /**
     * Starts the policy of an upstream.
     *
     * @param name the upstream's name: lower-case letters, digits and hyphens (a DNS label, usually
     *     the service name, e.g. {@code user-service})
     * @throws IllegalArgumentException when the name is not a DNS label
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        return new Builder(name).scheme(scheme).targets(targets).loadBalancing(loadBalancing).identity(identity)
                .timeouts(timeouts).retry(retry).circuitBreaker(circuitBreaker).bulkhead(bulkhead)
                .healthCheck(healthCheck).outlierDetection(outlierDetection);
    }

    public String name() {
        return name;
    }

    /** {@code http} (default) or {@code https}. */
    public String scheme() {
        return scheme;
    }

    /** The targets, in configuration order; never empty. */
    public List<Target> targets() {
        return targets;
    }

    /** Default {@link LoadBalancing#WEIGHTED_ROUND_ROBIN}. */
    public LoadBalancing loadBalancing() {
        return loadBalancing;
    }

    /** Default {@link IdentityPropagation#FORWARD}. */
    public IdentityPropagation identity() {
        return identity;
    }

    public Timeouts timeouts() {
        return timeouts;
    }

    public RetrySettings retry() {
        return retry;
    }

    public CircuitBreakerSettings circuitBreaker() {
        return circuitBreaker;
    }

    public BulkheadSettings bulkhead() {
        return bulkhead;
    }

    public HealthCheckSettings healthCheck() {
        return healthCheck;
    }

    public OutlierDetection outlierDetection() {
        return outlierDetection;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UpstreamPolicy u && u.name.equals(name) && u.scheme.equals(scheme)
                && u.targets.equals(targets) && u.loadBalancing == loadBalancing && u.identity == identity
                && u.timeouts.equals(timeouts) && u.retry.equals(retry) && u.circuitBreaker.equals(circuitBreaker)
                && u.bulkhead.equals(bulkhead) && u.healthCheck.equals(healthCheck)
                && u.outlierDetection.equals(outlierDetection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, scheme, targets, loadBalancing, identity, timeouts, retry, circuitBreaker, bulkhead,
                healthCheck, outlierDetection);
    }

    @Override
    public String toString() {
        return "UpstreamPolicy[" + name + ", " + scheme + "://" + targets + ", " + loadBalancing + ", " + timeouts
                + ", " + retry + ", " + circuitBreaker + ", " + bulkhead + ", " + healthCheck + ", " + outlierDetection
                + ", identity " + identity + "]";
    }

    /** Builds an {@link UpstreamPolicy}; {@link #build()} validates and copies. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String scheme = "http";
        private final List<Target> targets = new ArrayList<>();
        private LoadBalancing loadBalancing = LoadBalancing.WEIGHTED_ROUND_ROBIN;
        private IdentityPropagation identity = IdentityPropagation.FORWARD;
        private Timeouts timeouts = Timeouts.defaults();
        private RetrySettings retry = RetrySettings.defaults();
        private CircuitBreakerSettings circuitBreaker = CircuitBreakerSettings.defaults();
        private BulkheadSettings bulkhead = BulkheadSettings.defaults();
        private HealthCheckSettings healthCheck = HealthCheckSettings.disabled();
        private OutlierDetection outlierDetection = OutlierDetection.defaults();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("upstream name: '" + name
                        + "' (expected: lower-case letters, digits and hyphens, at most 63, e.g. user-service)");
            }
            this.name = name;
        }

        /** {@code http} or {@code https}. */
        public Builder scheme(String scheme) {
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("scheme: '" + scheme + "' (expected: http or https)");
            }
            this.scheme = scheme;
            return this;
        }

        /** Adds a target. */
        public Builder target(Target target) {
            targets.add(Objects.requireNonNull(target, "target"));
            return this;
        }

        /** Adds a target written {@code host:port[;weight[;priority]]}. */
        public Builder target(String target) {
            return target(Target.parse(target));
        }

        /** Replaces the targets. */
        public Builder targets(List<Target> list) {
            targets.clear();
            list.forEach(this::target);
            return this;
        }

        public Builder loadBalancing(LoadBalancing strategy) {
            this.loadBalancing = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        public Builder identity(IdentityPropagation identity) {
            this.identity = Objects.requireNonNull(identity, "identity");
            return this;
        }

        public Builder timeouts(Timeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        public Builder retry(RetrySettings retry) {
            this.retry = Objects.requireNonNull(retry, "retry");
            return this;
        }

        public Builder circuitBreaker(CircuitBreakerSettings settings) {
            this.circuitBreaker = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder bulkhead(BulkheadSettings settings) {
            this.bulkhead = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder healthCheck(HealthCheckSettings settings) {
            this.healthCheck = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder outlierDetection(OutlierDetection settings) {
            this.outlierDetection = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * @throws IllegalArgumentException when there is no target or a target is listed twice
         */
        public UpstreamPolicy build() {
            if (targets.isEmpty()) {
                throw new IllegalArgumentException("upstream " + name + ": no targets (expected: at least one host:port)");
            }
            Set<String> seen = new HashSet<>();
            for (Target t : targets) {
                if (!seen.add(t.authority())) {
                    throw new IllegalArgumentException("upstream " + name + ": target " + t.authority()
                            + " is listed twice (expected: each host:port once)");
                }
            }
            return new UpstreamPolicy(this);
        }
    }
}
