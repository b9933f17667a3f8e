package io.aegis.gateway.resilience;

/** The state of a target's circuit breaker. */
public enum CircuitState {
    /** Calls pass; failures are counted. */
    CLOSED,
    /** Calls are refused until the open duration has passed. */
    OPEN,
    /** A limited number of probes pass; they decide between closed and open. */
    HALF_OPEN
}
