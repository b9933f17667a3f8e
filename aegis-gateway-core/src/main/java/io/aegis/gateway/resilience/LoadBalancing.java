package io.aegis.gateway.resilience;

/**
 * How a {@link ServiceClient} spreads calls over the available targets of an upstream. Targets
 * that are unhealthy (active checks), ejected (outlier detection) or whose circuit is open are
 * never available.
 */
public enum LoadBalancing {
    /** Each available target in turn, ignoring weights. */
    ROUND_ROBIN,
    /**
     * Smooth weighted round robin (the nginx algorithm): over any run of calls each target gets its
     * share of the weights, interleaved rather than in bursts. The default.
     */
    WEIGHTED_ROUND_ROBIN,
    /**
     * Least requests by the power of two choices: two random available targets (drawn by weight),
     * the one with fewer calls in flight per unit of weight wins.
     */
    LEAST_REQUESTS,
    /**
     * Priority and failover: only the lowest priority level that has an available target is used,
     * spread by smooth weighted round robin; higher levels take over when it has none.
     */
    PRIORITY
}
