package io.aegis.gateway.llm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A failed LLM call, classified by {@link LlmErrorKind}. Carries the provider and model that
 * failed, the HTTP status (0 when none), the provider's error code, and its hints: how long to
 * wait before retrying ({@link #retryAfter()}) and, for exhausted quotas, when the quota resets
 * ({@link #resetAt()}). Failures of earlier attempts are attached as suppressed exceptions.
 *
 * <p>Messages never contain API keys or prompt text.
 */
public class LlmException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final LlmErrorKind kind;
    private final String provider;
    private final String model;
    private final int status;
    private final String code;
    private final transient Duration retryAfter;
    private final transient Instant resetAt;

    public LlmException(LlmErrorKind kind, String message) {
        this(kind, message, null, null, 0, null, null, null, null);
    }

    public LlmException(LlmErrorKind kind, String message, Throwable cause) {
        this(kind, message, null, null, 0, null, null, null, cause);
    }

    /**
     * @param kind the classification
     * @param message what happened, naming the provider and model
     * @param provider the configured provider name, or {@code null}
     * @param model the model, or {@code null}
     * @param status the HTTP status, 0 when none
     * @param code the provider's error code or type, or {@code null}
     * @param retryAfter the provider's retry hint, or {@code null}
     * @param resetAt when an exhausted quota resets, or {@code null}
     * @param cause the cause, or {@code null}
     */
    public LlmException(LlmErrorKind kind, String message, String provider, String model, int status, String code,
                        Duration retryAfter, Instant resetAt, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.provider = provider;
        this.model = model;
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
        this.resetAt = resetAt;
    }

    public LlmErrorKind kind() {
        return kind;
    }

    /** The configured provider name, or {@code null} for errors of the client itself. */
    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    /** The HTTP status, 0 when there was none (transport failure, in-band stream error). */
    public int status() {
        return status;
    }

    /** The provider's error code or type ({@code insufficient_quota}, {@code overloaded_error}, ...), or {@code null}. */
    public String code() {
        return code;
    }

    /** How long the provider asked to wait, or {@code null}. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** When an exhausted quota resets, or {@code null}. */
    public Instant resetAt() {
        return resetAt;
    }
}
