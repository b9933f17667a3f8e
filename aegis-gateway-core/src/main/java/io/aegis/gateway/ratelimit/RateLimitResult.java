package io.aegis.gateway.ratelimit;

import java.util.Objects;

/**
 * The answer of a rate-limit check: whether the request may pass and, per limit of the
 * {@link LimitSet} (shortest window first), how much room is left and when the limit is full
 * again.
 *
 * <p>Immutable and thread-safe.
 */
public final class RateLimitResult {

    private final boolean allowed;
    private final LimitSet limits;
    private final long[] remaining;
    private final long[] resetSeconds;
    private final long retryAfterSeconds;

    /**
     * @param allowed whether the request was admitted (and its tokens taken)
     * @param limits the limits checked
     * @param remaining per limit, the requests still allowed now
     * @param resetSeconds per limit, seconds until the limit is entirely available again
     * @param retryAfterSeconds for a refusal, seconds until the request could pass (at least 1); else 0
     */
    public RateLimitResult(boolean allowed, LimitSet limits, long[] remaining, long[] resetSeconds,
                           long retryAfterSeconds) {
        this.allowed = allowed;
        this.limits = Objects.requireNonNull(limits, "limits");
        if (remaining.length != limits.limits().size() || resetSeconds.length != remaining.length) {
            throw new IllegalArgumentException("remaining/resetSeconds: " + remaining.length + "/" + resetSeconds.length
                    + " values (expected: " + limits.limits().size() + ", one per limit)");
        }
        this.remaining = remaining;
        this.resetSeconds = resetSeconds;
        this.retryAfterSeconds = allowed ? 0 : Math.max(1, retryAfterSeconds);
    }

    public boolean allowed() {
        return allowed;
    }

    public LimitSet limits() {
        return limits;
    }

    /** Requests still allowed now under limit {@code i}. */
    public long remaining(int i) {
        return remaining[i];
    }

    /** Seconds until limit {@code i} is entirely available again. */
    public long resetSeconds(int i) {
        return resetSeconds[i];
    }

    /** Seconds to wait before retrying a refused request; 0 when allowed. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
