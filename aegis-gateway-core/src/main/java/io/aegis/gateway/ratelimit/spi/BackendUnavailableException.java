package io.aegis.gateway.ratelimit.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a store-backed backend configured to fail closed when its store cannot decide (down,
 * or slower than its timeout). The policy answers {@code 503 dependency-unavailable} with
 * {@code Retry-After}. Carries no stack trace: it is an expected outcome on the request path.
 */
public final class BackendUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    /**
     * @param store what is unavailable, e.g. {@code "rate-limit store"}
     * @param retryAfter when it is worth retrying
     */
    public BackendUnavailableException(String store, Duration retryAfter) {
        super(store + " is unavailable", null, false, false);
        this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** When it is worth retrying. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
