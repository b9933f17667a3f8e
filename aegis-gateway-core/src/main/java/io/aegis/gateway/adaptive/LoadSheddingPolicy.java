package io.aegis.gateway.adaptive;

import io.aegis.gateway.pipeline.AttributeKey;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.Tier;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Sheds load with an {@link AdaptiveLimiter} (stage {@link Stage#RATE_LIMIT}, before the rate
 * limits, so a shed request takes no tokens): a request whose tier's share of the concurrency
 * limit is in use gets {@code 503 overloaded} with {@code Retry-After}. Exempt requests (health
 * endpoints) are never shed. The request's latency, measured until {@link #onComplete}, feeds the
 * limit; requests refused later in the pipeline (429) are not latency samples.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoadSheddingPolicy implements GatewayPolicy {

    private static final AttributeKey<AdaptiveLimiter.Permit> PERMIT =
            AttributeKey.of("adaptive.permit", AdaptiveLimiter.Permit.class);

    private final AdaptiveLimiter limiter;
    private final Predicate<Exchange> exempt;

    public LoadSheddingPolicy(AdaptiveLimiter limiter, Predicate<Exchange> exempt) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.exempt = Objects.requireNonNull(exempt, "exempt");
    }

    @Override
    public Stage stage() {
        return Stage.RATE_LIMIT;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        if (!limiter.settings().enabled() || exempt.test(exchange)) {
            return Decision.proceed();
        }
        Tier tier = exchange.principal() == null ? Tier.FREE : exchange.principal().tier();
        AdaptiveLimiter.Permit permit = limiter.tryAcquire(tier);
        if (permit == null) {
            long retry = limiter.settings().retryAfter().toSeconds();
            return Decision.reject(Problem.builder(ProblemType.OVERLOADED)
                    .detail("The service is overloaded and sheds " + tier.id() + "-tier traffic; retry in " + retry + " s.")
                    .with("retry_after", retry)
                    .header("Retry-After", Long.toString(retry))
                    .build());
        }
        exchange.attribute(PERMIT, permit);
        return Decision.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, int status) {
        AdaptiveLimiter.Permit permit = exchange.attribute(PERMIT);
        if (permit == null) {
            return;
        }
        exchange.attribute(PERMIT, null);
        if (status == 429) {
            permit.ignore();
        } else {
            permit.release(status == 503 || status == 504);
        }
    }
}
