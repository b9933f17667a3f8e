package io.aegis.gateway.resilience.internal;

import io.aegis.gateway.resilience.CircuitState;
import io.aegis.gateway.resilience.Target;
import java.time.Duration;

/** What a {@link TargetPool} reports: breaker transitions, ejections, health verdicts. Called outside pool locks. */
public interface PoolListener {

    void circuitChanged(Target target, CircuitState from, CircuitState to, String reason);

    void ejected(Target target, Duration duration, int ejections, String reason);

    void returned(Target target);

    void healthChanged(Target target, boolean healthy);
}
