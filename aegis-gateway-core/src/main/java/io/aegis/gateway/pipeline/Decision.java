package io.aegis.gateway.pipeline;

import java.util.Objects;

/**
 * The outcome of a policy: go on, or end the exchange with a problem response.
 *
 * <p>Rejections are values, not exceptions: a 401 or 429 is an ordinary result of a policy.
 * Exceptions are for misconfiguration and bugs. Instances are immutable and thread-safe.
 */
public final class Decision {

    private static final Decision PROCEED = new Decision(null);

    private final Problem problem;

    private Decision(Problem problem) {
        this.problem = problem;
    }

    /** Go on to the next policy (and finally to the application). */
    public static Decision proceed() {
        return PROCEED;
    }

    /** End the exchange with this problem response. */
    public static Decision reject(Problem problem) {
        return new Decision(Objects.requireNonNull(problem, "problem"));
    }

    /** End the exchange with a problem of this type and detail. */
    public static Decision reject(ProblemType type, String detail) {
        return new Decision(Problem.of(type, detail));
    }

    public boolean proceeds() {
        return problem == null;
    }

    public boolean rejects() {
        return problem != null;
    }

    /** The problem to answer with, or {@code null} when the decision proceeds. */
    public Problem problem() {
        return problem;
    }

    @Override
    public String toString() {
        return problem == null ? "Decision[proceed]" : "Decision[reject " + problem + "]";
    }
}
