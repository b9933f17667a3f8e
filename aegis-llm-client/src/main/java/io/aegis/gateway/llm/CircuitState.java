package io.aegis.gateway.llm;

/** The state of one candidate's circuit breaker (provider + model + credential). */
public enum CircuitState {
    /** Calls pass; consecutive failures are counted. */
    CLOSED,
    /** Calls are refused until the cooldown (or a parked credential's reset) has passed. */
    OPEN,
    /** The cooldown passed: one trial call may pass; its outcome closes or re-opens the circuit. */
    HALF_OPEN
}
