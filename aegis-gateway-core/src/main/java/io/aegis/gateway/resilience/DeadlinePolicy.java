package io.aegis.gateway.resilience;

import io.aegis.gateway.pipeline.AttributeKey;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.Stage;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Honours the deadline a caller propagated in {@value Deadline#HEADER}: a request that arrives
 * with no time left ({@code 0}) is answered 504 {@code deadline-exceeded} before anything else is
 * spent on it; otherwise the deadline is stored on the exchange ({@link #DEADLINE}), where
 * {@link CallContext#from(Exchange)} finds it, so the application sees the remaining time and its
 * own outbound calls inherit it. A malformed or repeated header is a 400 {@code bad-request}.
 * Requests without the header have no deadline.
 *
 * <p>Runs in the {@link Stage#REQUEST_LIMITS} stage. Immutable and thread-safe.
 */
public final class DeadlinePolicy implements GatewayPolicy {

    /** The exchange attribute holding the propagated {@link Deadline}. */
    public static final AttributeKey<Deadline> DEADLINE = AttributeKey.of("aegis.deadline", Deadline.class);

    private final LongSupplier ticker;

    /** A policy on {@link System#nanoTime()}. */
    public DeadlinePolicy() {
        this(System::nanoTime);
    }

    /** A policy on this nano-time source (tests). */
    public DeadlinePolicy(LongSupplier ticker) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
    }

    @Override
    public Stage stage() {
        return Stage.REQUEST_LIMITS;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        List<String> values = exchange.request().headers(Deadline.HEADER);
        if (values.isEmpty()) {
            return Decision.proceed();
        }
        if (values.size() > 1) {
            return Decision.reject(ProblemType.BAD_REQUEST, "The " + Deadline.HEADER + " header appears more than once.");
        }
        long ms = Deadline.parseHeader(values.get(0));
        if (ms < 0) {
            return Decision.reject(ProblemType.BAD_REQUEST, "The " + Deadline.HEADER
                    + " header must be the remaining milliseconds as a whole number.");
        }
        if (ms == 0) {
            return Decision.reject(Problem.builder(ProblemType.DEADLINE_EXCEEDED)
                    .detail("The caller's deadline had passed when the request arrived.").build());
        }
        exchange.attribute(DEADLINE, Deadline.after(java.time.Duration.ofMillis(ms), ticker));
        return Decision.proceed();
    }
}
