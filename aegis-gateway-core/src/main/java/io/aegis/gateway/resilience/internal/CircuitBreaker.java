package io.aegis.gateway.resilience.internal;

import io.aegis.gateway.resilience.CircuitBreakerSettings;
import io.aegis.gateway.resilience.CircuitState;
import java.util.function.LongSupplier;

/**
 * The circuit breaker of one target, on an injected nano-time source so tests drive it without
 * sleeping (Failsafe's breaker reads {@code System.nanoTime()} itself, which is why this one is
 * ours). A count window (the last N outcomes) and a time window (buckets over a duration) run
 * side by side while closed; see {@link CircuitBreakerSettings} for the rules.
 *
 * <p>Thread-safe (synchronized; every method is a few field updates).
 */
public final class CircuitBreaker {

    /** The outcome of {@link #tryAcquire()}. */
    public enum Permit {
        /** Refused: the circuit is open, or every probe slot is taken. */
        DENIED,
        /** A normal call through a closed circuit. */
        NORMAL,
        /** A probe through a half-open circuit. */
        PROBE
    }

    /** Told of every state change, outside of any lock. */
    @FunctionalInterface
    public interface Listener {
        void onStateChange(CircuitState from, CircuitState to, String reason);
    }

    private static final int BUCKETS = 10;

    private final LongSupplier ticker;
    private final Listener listener;
    private CircuitBreakerSettings settings;

    private CircuitState state = CircuitState.CLOSED;
    private long openedAt;
    // count window: ring of outcomes
    private boolean[] ring;
    private int ringPos;
    private int ringSize;
    private int ringFailures;
    // time window: buckets
    private final long[] bucketStart = new long[BUCKETS];
    private final int[] bucketCalls = new int[BUCKETS];
    private final int[] bucketFailures = new int[BUCKETS];
    // half-open
    private int probesIssued;
    private int probesSucceeded;

    public CircuitBreaker(CircuitBreakerSettings settings, LongSupplier ticker, Listener listener) {
        this.settings = settings;
        this.ticker = ticker;
        this.listener = listener;
        this.ring = new boolean[settings.failureWindow()];
    }

    /** Applies new settings; the state is kept, the windows start afresh when their size changed. */
    public synchronized void update(CircuitBreakerSettings next) {
        if (next.failureWindow() != settings.failureWindow()) {
            ring = new boolean[next.failureWindow()];
            ringPos = 0;
            ringSize = 0;
            ringFailures = 0;
        }
        if (!next.failureRateWindow().equals(settings.failureRateWindow())) {
            clearBuckets();
        }
        settings = next;
        if (!next.enabled() && state != CircuitState.CLOSED) {
            CircuitState from = state;
            close();
            notifyLater(from, CircuitState.CLOSED, "circuit breaker disabled");
        }
    }

    /** The state now (an open circuit whose open duration passed reports half-open). */
    public CircuitState state() {
        CircuitState[] change = new CircuitState[1];
        CircuitState s;
        synchronized (this) {
            s = advance(change);
        }
        fire(change, "open duration passed");
        return s;
    }

    /** {@code true} when {@link #tryAcquire()} would not be refused now. */
    public synchronized boolean permits() {
        if (!settings.enabled()) {
            return true;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> ticker.getAsLong() - openedAt >= settings.openDuration().toNanos();
            case HALF_OPEN -> probesIssued < settings.halfOpenCalls();
        };
    }

    /** Asks to make a call. */
    public Permit tryAcquire() {
        CircuitState[] change = new CircuitState[1];
        Permit p;
        synchronized (this) {
            if (!settings.enabled()) {
                return Permit.NORMAL;
            }
            CircuitState s = advance(change);
            if (s == CircuitState.CLOSED) {
                p = Permit.NORMAL;
            } else if (s == CircuitState.HALF_OPEN && probesIssued < settings.halfOpenCalls()) {
                probesIssued++;
                p = Permit.PROBE;
            } else {
                p = Permit.DENIED;
            }
        }
        fire(change, "open duration passed");
        return p;
    }

    /** Gives back a permit that was not used (the call never went out). */
    public synchronized void release(Permit permit) {
        if (permit == Permit.PROBE && state == CircuitState.HALF_OPEN && probesIssued > 0) {
            probesIssued--;
        }
    }

    /** Records the outcome of a call made with this permit. */
    public void record(Permit permit, boolean success) {
        CircuitState from = null;
        CircuitState to = null;
        String reason = null;
        synchronized (this) {
            if (!settings.enabled() || permit == Permit.DENIED) {
                return;
            }
            if (permit == Permit.PROBE) {
                if (state != CircuitState.HALF_OPEN) {
                    return; // a stale probe of an earlier half-open period
                }
                if (!success) {
                    from = state;
                    open();
                    to = CircuitState.OPEN;
                    reason = "a probe failed";
                } else if (++probesSucceeded >= settings.halfOpenCalls()) {
                    from = state;
                    close();
                    to = CircuitState.CLOSED;
                    reason = probesSucceeded + " probes succeeded";
                }
            } else if (state == CircuitState.CLOSED) {
                long now = ticker.getAsLong();
                recordClosed(success, now);
                String why = tripReason(now);
                if (why != null) {
                    from = state;
                    open();
                    to = CircuitState.OPEN;
                    reason = why;
                }
            }
            // a normal call finishing while open or half-open says nothing about the recovery
        }
        if (to != null) {
            listener.onStateChange(from, to, reason);
        }
    }

    private void recordClosed(boolean success, long now) {
        if (ringSize == ring.length) {
            if (ring[ringPos]) {
                ringFailures--;
            }
        } else {
            ringSize++;
        }
        ring[ringPos] = !success;
        if (!success) {
            ringFailures++;
        }
        ringPos = (ringPos + 1) % ring.length;

        long bucketNanos = Math.max(1, settings.failureRateWindow().toNanos() / BUCKETS);
        long slot = Math.floorDiv(now, bucketNanos);
        int i = Math.floorMod(slot, BUCKETS);
        long start = slot * bucketNanos;
        if (bucketStart[i] != start) {
            bucketStart[i] = start;
            bucketCalls[i] = 0;
            bucketFailures[i] = 0;
        }
        bucketCalls[i]++;
        if (!success) {
            bucketFailures[i]++;
        }
    }

    private String tripReason(long now) {
        if (ringFailures >= settings.failureThreshold()) {
            return ringFailures + " failures in the last " + ringSize + " calls";
        }
        long window = settings.failureRateWindow().toNanos();
        long bucketNanos = Math.max(1, window / BUCKETS);
        long oldest = Math.floorDiv(now, bucketNanos) * bucketNanos - (BUCKETS - 1) * bucketNanos;
        int calls = 0;
        int failures = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (bucketStart[i] >= oldest) {
                calls += bucketCalls[i];
                failures += bucketFailures[i];
            }
        }
        if (calls >= settings.failureRateMinimumCalls() && failures * 100L >= (long) settings.failureRateThreshold() * calls) {
            return failures + " of " + calls + " calls failed in " + settings.failureRateWindow();
        }
        return null;
    }

    /** Moves OPEN to HALF_OPEN when the open duration has passed; reports the change in {@code change}. */
    private CircuitState advance(CircuitState[] change) {
        if (state == CircuitState.OPEN && ticker.getAsLong() - openedAt >= settings.openDuration().toNanos()) {
            state = CircuitState.HALF_OPEN;
            probesIssued = 0;
            probesSucceeded = 0;
            change[0] = CircuitState.OPEN;
        }
        return state;
    }

    private void fire(CircuitState[] change, String reason) {
        if (change[0] != null) {
            listener.onStateChange(change[0], CircuitState.HALF_OPEN, reason);
        }
    }

    private void open() {
        state = CircuitState.OPEN;
        openedAt = ticker.getAsLong();
        probesIssued = 0;
        probesSucceeded = 0;
    }

    private void close() {
        state = CircuitState.CLOSED;
        ringPos = 0;
        ringSize = 0;
        ringFailures = 0;
        java.util.Arrays.fill(ring, false);
        clearBuckets();
    }

    private void clearBuckets() {
        java.util.Arrays.fill(bucketStart, 0);
        java.util.Arrays.fill(bucketCalls, 0);
        java.util.Arrays.fill(bucketFailures, 0);
    }

    private void notifyLater(CircuitState from, CircuitState to, String reason) {
        listener.onStateChange(from, to, reason);
    }

    @Override
    public synchronized String toString() {
        return "CircuitBreaker[" + state + ", " + ringFailures + "/" + ringSize + "]";
    }
}
