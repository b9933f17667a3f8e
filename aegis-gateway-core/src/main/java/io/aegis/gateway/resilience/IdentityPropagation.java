package io.aegis.gateway.resilience;

/** Which identity an outbound call carries in its {@code Authorization} header. */
public enum IdentityPropagation {
    /**
     * The caller's own credential: the inbound {@code Authorization} header captured in the
     * {@link CallContext}. Calls without an inbound credential go without one. The default.
     */
    FORWARD,
    /**
     * A credential of this service, from the
     * {@link io.aegis.gateway.resilience.spi.OutboundCredentials} registered for the upstream (for
     * example an OAuth 2.0 client-credentials token), replacing the caller's.
     */
    CREDENTIALS,
    /** No {@code Authorization} header. */
    NONE
}
