package io.aegis.gateway.resilience.internal;

import io.aegis.gateway.resilience.CircuitBreakerSettings;
import io.aegis.gateway.resilience.Target;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * What a pool knows about one target: its breaker, calls in flight, health verdict and outlier
 * state. Kept across configuration changes while the target stays in the pool.
 *
 * <p>Thread-safe: counters are atomic or guarded by this object.
 */
public final class TargetState {

    private volatile Target target;
    final CircuitBreaker breaker;
    final AtomicInteger inFlight = new AtomicInteger();

    // active health, guarded by this
    volatile boolean healthy = true;
    private int passes;
    private int failures;

    // outlier detection, guarded by this
    int consecutive5xx;
    int consecutiveGatewayFailures;
    long ejectedUntil; // 0 when not ejected
    int ejections;
    long returnedAt;

    // smooth weighted round robin, guarded by the pool
    long currentWeight;

    TargetState(Target target, CircuitBreakerSettings settings, LongSupplier ticker, PoolListener listener) {
        this.target = target;
        this.breaker = new CircuitBreaker(settings, ticker,
                (from, to, reason) -> listener.circuitChanged(this.target, from, to, reason));
    }

    public Target target() {
        return target;
    }

    void target(Target t) {
        this.target = t;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** A try to this target starts. */
    public void callStarted() {
        inFlight.incrementAndGet();
    }

    /** A try to this target ended. */
    public void callEnded() {
        inFlight.decrementAndGet();
    }

    /** Records an active check; answers the new verdict when it changed, else {@code null}. */
    synchronized Boolean recordCheck(boolean passed, int healthyThreshold, int unhealthyThreshold) {
        if (passed) {
            failures = 0;
            passes++;
            if (!healthy && passes >= healthyThreshold) {
                healthy = true;
                return Boolean.TRUE;
            }
        } else {
            passes = 0;
            failures++;
            if (healthy && failures >= unhealthyThreshold) {
                healthy = false;
                return Boolean.FALSE;
            }
        }
        return null;
    }

    /** Marks healthy again (health checks turned off). */
    synchronized void resetHealth() {
        healthy = true;
        passes = 0;
        failures = 0;
    }

    @Override
    public String toString() {
        return target.authority();
    }
}
