package io.aegis.gateway.resilience.internal;

import io.aegis.gateway.resilience.RetrySettings;
import java.util.function.LongSupplier;

/**
 * The retry budget of one upstream: calls and retries counted in ten buckets over a sliding
 * window; a retry is allowed while {@code retries < ratio × calls + minPerSecond × windowSeconds}.
 * So when every call fails, retries add at most {@code ratio} to the load (plus the floor), and an
 * outage is not multiplied by the number of attempts.
 *
 * <p>Thread-safe.
 */
public final class RetryBudget {

    private static final int BUCKETS = 10;

    private final LongSupplier ticker;
    private final double ratio;
    private final double floor;
    private final long bucketNanos;
    private final long[] slots = new long[BUCKETS];
    private final long[] calls = new long[BUCKETS];
    private final long[] retries = new long[BUCKETS];

    public RetryBudget(RetrySettings settings, LongSupplier ticker) {
        this.ticker = ticker;
        this.ratio = settings.budgetRatio();
        this.floor = settings.budgetMinPerSecond() * (settings.budgetWindow().toMillis() / 1000.0);
        this.bucketNanos = Math.max(1, settings.budgetWindow().toNanos() / BUCKETS);
        java.util.Arrays.fill(slots, Long.MIN_VALUE);
    }

    /** Counts a call (its first try). */
    public synchronized void onCall() {
        calls[bucket()]++;
    }

    /** Takes one retry from the budget; {@code false} when it is spent. */
    public synchronized boolean tryRetry() {
        int cur = bucket();
        long c = 0;
        long r = 0;
        for (int i = 0; i < BUCKETS; i++) {
            c += calls[i];
            r += retries[i];
        }
        if (r + 1 > ratio * c + floor) {
            return false;
        }
        retries[cur]++;
        return true;
    }

    /** The retries and calls counted in the window, for tests and status pages. */
    public synchronized long[] counts() {
        bucket();
        long c = 0;
        long r = 0;
        for (int i = 0; i < BUCKETS; i++) {
            c += calls[i];
            r += retries[i];
        }
        return new long[] {c, r};
    }

    /** The current bucket, after clearing the buckets that fell out of the window. */
    private int bucket() {
        long slot = Math.floorDiv(ticker.getAsLong(), bucketNanos);
        for (int i = 0; i < BUCKETS; i++) {
            if (slots[i] != Long.MIN_VALUE && slot - slots[i] >= BUCKETS) {
                slots[i] = Long.MIN_VALUE;
                calls[i] = 0;
                retries[i] = 0;
            }
        }
        int idx = Math.floorMod(slot, BUCKETS);
        if (slots[idx] != slot) {
            slots[idx] = slot;
            calls[idx] = 0;
            retries[idx] = 0;
        }
        return idx;
    }
}
