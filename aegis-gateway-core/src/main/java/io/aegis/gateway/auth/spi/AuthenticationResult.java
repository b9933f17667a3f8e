package io.aegis.gateway.auth.spi;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Problem;
import java.util.Objects;

/**
 * What an {@link Authenticator} concluded: the credential it handles is absent (abstain), valid
 * (success, with the principal) or present but invalid (failure, with the problem to answer).
 *
 * <p>Immutable and thread-safe.
 */
public final class AuthenticationResult {

    private static final AuthenticationResult ABSTAIN = new AuthenticationResult(null, null);

    private final Principal principal;
    private final Problem problem;

    private AuthenticationResult(Principal principal, Problem problem) {
        this.principal = principal;
        this.problem = problem;
    }

    /** The request carries no credential of this kind; the next authenticator may try. */
    public static AuthenticationResult abstain() {
        return ABSTAIN;
    }

    public static AuthenticationResult success(Principal principal) {
        return new AuthenticationResult(Objects.requireNonNull(principal, "principal"), null);
    }

    /** A credential of this kind is present but invalid; the request is rejected with this problem. */
    public static AuthenticationResult failure(Problem problem) {
        return new AuthenticationResult(null, Objects.requireNonNull(problem, "problem"));
    }

    public boolean isAbstain() {
        return principal == null && problem == null;
    }

    public boolean isSuccess() {
        return principal != null;
    }

    public boolean isFailure() {
        return problem != null;
    }

    /** The principal of a success, else {@code null}. */
    public Principal principal() {
        return principal;
    }

    /** The problem of a failure, else {@code null}. */
    public Problem problem() {
        return problem;
    }

    @Override
    public String toString() {
        return isAbstain() ? "abstain" : isSuccess() ? "success " + principal : "failure " + problem;
    }
}
