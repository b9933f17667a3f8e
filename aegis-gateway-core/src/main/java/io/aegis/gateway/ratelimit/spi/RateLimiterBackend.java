package io.aegis.gateway.ratelimit.spi;

import io.aegis.gateway.ratelimit.LimitSet;
import io.aegis.gateway.ratelimit.RateLimitResult;

/**
 * Where buckets live: in this process (the default), or in a store shared by every replica.
 *
 * <p>Implementations must be thread-safe, must take the tokens atomically across all limits of
 * the set (a request either passes every limit or takes nothing), and must bound the time they
 * block. When the limits for a key change, the bucket adopts the new limits without starting
 * over from full.
 */
public interface RateLimiterBackend extends AutoCloseable {

    /**
     * Tries to take {@code cost} tokens from the bucket of {@code key} shaped by {@code limits}.
     *
     * @param key the bucket key (already namespaced by group and key kind)
     */
    RateLimitResult tryConsume(String key, LimitSet limits, int cost);

    /** Releases resources; the default does nothing. */
    @Override
    default void close() {
    }
}
