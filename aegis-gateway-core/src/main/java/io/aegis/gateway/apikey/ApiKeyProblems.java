package io.aegis.gateway.apikey;

import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;

/**
 * The problems of API-key authentication (listed in {@code docs/problems.md}).
 *
 * <ul>
 *   <li>{@link #INVALID_API_KEY}: 401, the presented key is malformed, unknown, expired, revoked or
 *       rotated out; the challenge is {@code ApiKey realm="…", header="X-API-Key"} and the detail
 *       a fixed text that never echoes the key;</li>
 *   <li>{@link #API_KEY_ABUSE}: 429, too many failed keys from this client address; API-key
 *       requests from it are refused until {@code Retry-After}.</li>
 * </ul>
 */
public final class ApiKeyProblems {

    /** A presented API key is not valid. */
    public static final ProblemType INVALID_API_KEY = ProblemType.of("invalid-api-key", 401, "Invalid API key");
    /** Too many failed API keys came from the client's address. */
    public static final ProblemType API_KEY_ABUSE = ProblemType.of("too-many-failed-api-keys", 429,
            "Too many failed API keys");

    private ApiKeyProblems() {
    }

    /** 401 with the {@code ApiKey} challenge naming the header. */
    public static Problem invalid(String realm, String header, String description) {
        return Problem.builder(INVALID_API_KEY)
                .detail(description)
                .header("WWW-Authenticate", "ApiKey realm=\"" + realm + "\", header=\"" + header + "\"")
                .build();
    }

    /** 429 with {@code Retry-After}. */
    public static Problem blocked(long retryAfterSeconds) {
        return Problem.builder(API_KEY_ABUSE)
                .detail("Too many invalid API keys were presented from this address; retry in " + retryAfterSeconds + " s.")
                .with("retry_after", retryAfterSeconds)
                .header("Retry-After", Long.toString(retryAfterSeconds))
                .build();
    }

    /** 400: the key header is repeated. */
    public static Problem repeated(String header) {
        return Problem.of(ProblemType.BAD_REQUEST, "The request has more than one " + header + " header.");
    }
}
