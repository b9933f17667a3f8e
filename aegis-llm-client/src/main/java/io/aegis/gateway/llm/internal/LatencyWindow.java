package io.aegis.gateway.llm.internal;

import java.util.Arrays;

/**
 * The last {@value #SIZE} successful latencies of one candidate, for adaptive hedging (its p95).
 * No percentile is reported before {@value #MIN_SAMPLES} samples. Thread-safe.
 */
public final class LatencyWindow {

    static final int SIZE = 128;
    static final int MIN_SAMPLES = 20;

    private final long[] nanos = new long[SIZE];
    private int count;
    private int next;

    public synchronized void record(long latencyNanos) {
        nanos[next] = latencyNanos;
        next = (next + 1) % SIZE;
        count = Math.min(SIZE, count + 1);
    }

    /** The percentile (0..1) of the recorded latencies in nanoseconds, or -1 with too few samples. */
    public synchronized long percentile(double p) {
        if (count < MIN_SAMPLES) {
            return -1;
        }
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        int i = (int) Math.ceil(p * count) - 1;
        return sorted[Math.max(0, Math.min(count - 1, i))];
    }
}
