package io.aegis.gateway.traffic;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.ratelimit.EmergencyMode;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Refuses anonymous requests while emergency mode says so ({@code 503 emergency-mode}, with
 * {@code Retry-After: 60}); exempt requests (health endpoints) always pass. Runs first in
 * {@link Stage#RATE_LIMIT}. Immutable and thread-safe.
 */
final class EmergencyPolicy implements GatewayPolicy {

    private final EmergencyMode mode;
    private final Predicate<Exchange> exempt;

    EmergencyPolicy(EmergencyMode mode, Predicate<Exchange> exempt) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.exempt = Objects.requireNonNull(exempt, "exempt");
    }

    @Override
    public Stage stage() {
        return Stage.RATE_LIMIT;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        if (exchange.principal() != null) {
            return Decision.proceed();
        }
        EmergencyMode.State s = mode.state();
        if (!s.active() || !s.refuseAnonymous() || exempt.test(exchange)) {
            return Decision.proceed();
        }
        return Decision.reject(Problem.builder(ProblemType.EMERGENCY_MODE)
                .detail("The service is in emergency mode and serves authenticated clients only.")
                .header("Retry-After", "60")
                .build());
    }
}
