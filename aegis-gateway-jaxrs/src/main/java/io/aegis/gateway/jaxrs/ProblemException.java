package io.aegis.gateway.jaxrs;

import io.aegis.gateway.jaxrs.internal.Responses;
import io.aegis.gateway.pipeline.Problem;
import jakarta.ws.rs.WebApplicationException;
import java.util.Objects;

/**
 * Thrown by a resource to answer with an RFC 9457 problem ({@code application/problem+json}),
 * in the same format as the gateway's own rejections. Carries no stack trace.
 */
public final class ProblemException extends WebApplicationException {

    private static final long serialVersionUID = 1L;

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, Responses.problem(Objects.requireNonNull(problem, "problem")));
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
