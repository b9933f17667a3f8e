package io.aegis.gateway.llm;

import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import java.time.Duration;

/**
 * RFC 9457 problems for a service that answers its own clients after an LLM call failed. Details
 * are written for clients: they never name providers, models, keys or prompts.
 */
public final class LlmProblems {

    /** No provider could answer (outage, overload, open circuits, interrupted stream). */
    public static final ProblemType UNAVAILABLE = ProblemType.of("llm-unavailable", 503, "Language model unavailable");
    /** The caller's LLM budget for the day or month is spent. */
    public static final ProblemType BUDGET_EXCEEDED = ProblemType.of("llm-budget-exceeded", 429, "Language model budget exhausted");
    /** The request cannot be answered as sent (too long for every model, refused by content policy, invalid). */
    public static final ProblemType REQUEST_REJECTED = ProblemType.of("llm-request-rejected", 422, "Language model request rejected");

    private LlmProblems() {
    }

    /** The problem a failed call is answered with; {@code Retry-After} when a wait is known. */
    public static Problem toProblem(LlmException e) {
        Problem.Builder b = switch (e.kind()) {
            case BUDGET_EXCEEDED -> Problem.builder(BUDGET_EXCEEDED).detail("The budget for language model calls is spent"
                    + " for this period.");
            case CONTEXT_TOO_LONG -> Problem.builder(REQUEST_REJECTED).detail("The request is too long for the language model.");
            case CONTENT_FILTERED -> Problem.builder(REQUEST_REJECTED).detail("The language model refused the request.");
            case BAD_REQUEST -> Problem.builder(REQUEST_REJECTED).detail("The language model could not accept the request.");
            default -> Problem.builder(UNAVAILABLE).detail("The language model is unavailable; try again later.");
        };
        Duration retry = e.retryAfter();
        if (retry != null && b.build().status() != 422) {
            long seconds = Math.max(1, (retry.toMillis() + 999) / 1000);
            b.header("Retry-After", Long.toString(seconds)).with("retry_after", seconds);
        }
        return b.build();
    }
}
