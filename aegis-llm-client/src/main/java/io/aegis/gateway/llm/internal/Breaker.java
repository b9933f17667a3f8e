package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.CircuitState;
import java.util.function.LongSupplier;

/**
 * A circuit breaker for one candidate (provider + model + credential), on an injected nano clock.
 * {@code threshold} consecutive failures that count against health open it for {@code cooldown};
 * after that one trial call is let through (half-open): success closes it, failure re-opens it.
 * {@link #park} opens it until a given time whatever the count (an exhausted quota, a bad key, a
 * long rate-limit hint). Thread-safe.
 */
public final class Breaker {

    /** State changes, for events and metrics. */
    public interface Listener {
        void changed(Breaker breaker, CircuitState from, CircuitState to, String reason);
    }

    private final String id;
    private final int threshold;
    private final long cooldownNanos;
    private final LongSupplier nanoTime;
    private final Listener listener;
    private CircuitState state = CircuitState.CLOSED;
    private int failures;
    private long openUntil;
    private boolean trialInFlight;

    public Breaker(String id, int threshold, long cooldownNanos, LongSupplier nanoTime, Listener listener) {
        this.id = id;
        this.threshold = threshold;
        this.cooldownNanos = cooldownNanos;
        this.nanoTime = nanoTime;
        this.listener = listener;
    }

    public String id() {
        return id;
    }

    /** Whether a call may go now; in half-open state only one trial at a time. */
    public boolean tryAcquire() {
        CircuitState from;
        synchronized (this) {
            if (state == CircuitState.CLOSED) {
                return true;
            }
            if (state == CircuitState.OPEN) {
                if (nanoTime.getAsLong() - openUntil < 0) {
                    return false;
                }
                from = state;
                state = CircuitState.HALF_OPEN;
                trialInFlight = true;
            } else {
                if (trialInFlight) {
                    return false;
                }
                trialInFlight = true;
                return true;
            }
        }
        listener.changed(this, from, CircuitState.HALF_OPEN, "cooldown over, trial call");
        return true;
    }

    /** Gives back a trial permit that was not used (the call was not made). */
    public synchronized void release() {
        trialInFlight = false;
    }

    /** Nanoseconds until a call may go again (0 when it may now). */
    public synchronized long remainingNanos() {
        if (state != CircuitState.OPEN) {
            return 0;
        }
        return Math.max(0, openUntil - nanoTime.getAsLong());
    }

    public synchronized CircuitState state() {
        return state;
    }

    public void onSuccess() {
        CircuitState from;
        synchronized (this) {
            failures = 0;
            trialInFlight = false;
            if (state == CircuitState.CLOSED) {
                return;
            }
            from = state;
            state = CircuitState.CLOSED;
        }
        listener.changed(this, from, CircuitState.CLOSED, "call succeeded");
    }

    /** A call failed; {@code counts} says whether the failure speaks about the candidate's health. */
    public void onFailure(boolean counts, String reason) {
        CircuitState from;
        synchronized (this) {
            boolean trial = state == CircuitState.HALF_OPEN;
            trialInFlight = false;
            if (!counts && !trial) {
                return;
            }
            if (!counts) {
                // A trial that failed for a reason unrelated to health (bad request) decides nothing.
                return;
            }
            failures++;
            if (!trial && failures < threshold) {
                return;
            }
            from = state;
            state = CircuitState.OPEN;
            openUntil = nanoTime.getAsLong() + cooldownNanos;
        }
        if (from != CircuitState.OPEN) {
            listener.changed(this, from, CircuitState.OPEN, reason);
        }
    }

    /** Opens the circuit for at least {@code nanos} (a parked credential). */
    public void park(long nanos, String reason) {
        CircuitState from;
        synchronized (this) {
            from = state;
            long until = nanoTime.getAsLong() + nanos;
            openUntil = state == CircuitState.OPEN && openUntil - until > 0 ? openUntil : until;
            state = CircuitState.OPEN;
            trialInFlight = false;
        }
        listener.changed(this, from, CircuitState.OPEN, reason);
    }
}
