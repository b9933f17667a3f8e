package io.aegis.gateway.ratelimit;

/**
 * What a policy backed by a shared store (Redis) does while the store is slow or down.
 */
public enum FailureMode {
    /** Keep serving: decide locally (per-replica buckets, in-memory quota counts). The default. */
    FAIL_OPEN,
    /** Refuse: answer {@code 503 dependency-unavailable} with {@code Retry-After}. */
    FAIL_CLOSED
}
