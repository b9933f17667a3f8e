package io.aegis.gateway.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The bulkhead of an upstream: at most {@code maxConcurrent} tries in flight; up to
 * {@code maxQueue} more wait at most {@code maxWait} (and never past the call's deadline) for a
 * free place; the rest are refused at once ({@link UpstreamException.Kind#BULKHEAD_FULL}, not
 * retried).
 *
 * <p>Defaults: 64 concurrent, 64 waiting, {@code 100ms}. Immutable and thread-safe.
 *
 * @param maxConcurrent tries in flight at most (1..100000)
 * @param maxQueue callers that may wait (0..100000)
 * @param maxWait how long a caller waits at most
 */
public record BulkheadSettings(int maxConcurrent, int maxQueue, Duration maxWait) {

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public BulkheadSettings {
        if (maxConcurrent < 1 || maxConcurrent > 100_000) {
            throw new IllegalArgumentException("max-concurrent: " + maxConcurrent + " (expected: 1..100000)");
        }
        if (maxQueue < 0 || maxQueue > 100_000) {
            throw new IllegalArgumentException("max-queue: " + maxQueue + " (expected: 0..100000)");
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("max-wait: " + maxWait + " (expected: >= 0)");
        }
    }

    public static BulkheadSettings defaults() {
        return new BulkheadSettings(64, 64, Duration.ofMillis(100));
    }
}
