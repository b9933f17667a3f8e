package io.aegis.gateway.adaptive;

import io.aegis.gateway.policy.Tier;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A concurrency limit that adapts to latency (additive increase, multiplicative decrease, in the
 * manner of Netflix's concurrency-limits AIMD limit) and admits tiers by priority: a tier may
 * hold at most {@code share(tier) × limit} requests in flight, so when the service slows down
 * and the limit shrinks, free traffic is refused first and enterprise traffic last.
 *
 * <p>Time is injected (a nano-time supplier), so tests drive latency without sleeping.
 * Thread-safe: admission is a CAS on the in-flight count; limit updates are synchronized and
 * happen once per completed request.
 */
public final class AdaptiveLimiter {

    private final LongSupplier nanoTime;
    private final AtomicInteger inflight = new AtomicInteger();
    private volatile AdaptiveSettings settings;
    private volatile double limit;
    private volatile long shed;
    private boolean shedSinceSample; // guarded by this: refused demand counts as load for growth

    public AdaptiveLimiter(AdaptiveSettings settings, LongSupplier nanoTime) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.limit = settings.initialLimit();
    }

    /** Applies new settings; the current limit is kept within the new bounds. */
    public synchronized void configure(AdaptiveSettings next) {
        AdaptiveSettings before = settings;
        settings = Objects.requireNonNull(next, "next");
        if (before.initialLimit() != next.initialLimit() && !before.enabled()) {
            limit = next.initialLimit();
        }
        limit = Math.max(next.minLimit(), Math.min(next.maxLimit(), limit));
    }

    public AdaptiveSettings settings() {
        return settings;
    }

    /** The concurrency limit now. */
    public int limit() {
        return (int) limit;
    }

    /** Requests in flight now. */
    public int inflight() {
        return inflight.get();
    }

    /** Requests refused since start. */
    public long shedCount() {
        return shed;
    }

    /** The most requests of a tier admitted at once under the current limit (at least 1). */
    public int capacity(Tier tier) {
        return Math.max(1, (int) Math.floor(limit * settings.share(tier)));
    }

    /** Admits a request of a tier, or answers {@code null} when its share of the limit is in use. */
    public Permit tryAcquire(Tier tier) {
        int cap = capacity(tier);
        while (true) {
            int n = inflight.get();
            if (n >= cap) {
                synchronized (this) {
                    shed++;
                    shedSinceSample = true;
                }
                return null;
            }
            if (inflight.compareAndSet(n, n + 1)) {
                return new Permit(nanoTime.getAsLong(), n + 1);
            }
        }
    }

    private synchronized void onSample(long latencyNanos, int inflightAtStart, boolean dropped) {
        AdaptiveSettings s = settings;
        double l = limit;
        if (dropped || latencyNanos > s.latencyThreshold().toNanos()) {
            l = l * s.backoffRatio();
        } else if (l < s.initialLimit() || inflightAtStart * 2 >= l || shedSinceSample) {
            l = l + 1;
        }
        shedSinceSample = false;
        limit = Math.max(s.minLimit(), Math.min(s.maxLimit(), l));
    }

    /** One admitted request. Release it exactly once. */
    public final class Permit {
        private final long start;
        private final int inflightAtStart;
        private boolean released;

        private Permit(long start, int inflightAtStart) {
            this.start = start;
            this.inflightAtStart = inflightAtStart;
        }

        /**
         * Ends the request: its latency updates the limit.
         *
         * @param dropped {@code true} when the service reported overload (503/504)
         */
        public void release(boolean dropped) {
            if (released) {
                return;
            }
            released = true;
            inflight.decrementAndGet();
            onSample(nanoTime.getAsLong() - start, inflightAtStart, dropped);
        }

        /** Ends the request without using it as a latency sample (it never reached the service). */
        public void ignore() {
            if (released) {
                return;
            }
            released = true;
            inflight.decrementAndGet();
        }
    }
}
