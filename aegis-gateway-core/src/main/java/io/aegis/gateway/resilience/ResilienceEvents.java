package io.aegis.gateway.resilience;

/**
 * The {@link io.aegis.gateway.telemetry.GatewayEvent} types of outbound calls. Every event names
 * the {@code upstream}; target events name the {@code target} ({@code host:port}).
 */
public final class ResilienceEvents {

    /** A target's circuit breaker opened; attributes {@code upstream}, {@code target}, {@code reason}. */
    public static final String CIRCUIT_OPENED = "upstream.circuit.opened";
    /** A target's circuit breaker lets probes through. */
    public static final String CIRCUIT_HALF_OPEN = "upstream.circuit.half_open";
    /** A target's circuit breaker closed again. */
    public static final String CIRCUIT_CLOSED = "upstream.circuit.closed";
    /** A target was ejected by outlier detection; attributes {@code duration_ms}, {@code ejections}, {@code reason}. */
    public static final String TARGET_EJECTED = "upstream.target.ejected";
    /** An ejected target is back in the pool. */
    public static final String TARGET_RETURNED = "upstream.target.returned";
    /** Active health checks marked a target unhealthy. */
    public static final String TARGET_UNHEALTHY = "upstream.target.unhealthy";
    /** Active health checks marked a target healthy again. */
    public static final String TARGET_HEALTHY = "upstream.target.healthy";
    /** A retry was refused because the upstream's retry budget is spent. */
    public static final String RETRY_BUDGET_EXHAUSTED = "upstream.retry_budget.exhausted";
    /** A fallback answered a failed call; attribute {@code kind}. */
    public static final String FALLBACK = "upstream.fallback";
    /** The upstream's settings or targets were changed at run time. */
    public static final String UPDATED = "upstream.updated";

    private ResilienceEvents() {
    }
}
