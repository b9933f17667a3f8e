package io.aegis.gateway.ratelimit;

/** What a rate limit counts by. Where the key is missing the next broader one is used. */
public enum RateLimitKey {
    /** The client address (trusted-proxy aware). */
    IP,
    /** The authenticated subject; anonymous callers are counted by address. */
    USER,
    /** The API key presented in the configured header; without one, by address. */
    API_KEY,
    /** The principal's tenant; without one, by subject, then by address. */
    TENANT
}
