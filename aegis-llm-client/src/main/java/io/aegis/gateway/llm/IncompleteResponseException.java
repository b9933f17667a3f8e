package io.aegis.gateway.llm;

import java.util.Objects;

/**
 * A stream that failed after text was delivered to the subscriber: never reported as a success.
 * Carries the partial text and what caused the interruption ({@link #interruption()}: a timeout,
 * an in-band provider error, a cut connection).
 */
public final class IncompleteResponseException extends LlmException {

    private static final long serialVersionUID = 1L;

    private final String partialContent;
    private final boolean inToolCall;

    public IncompleteResponseException(String message, String partialContent, boolean inToolCall, LlmException cause) {
        super(LlmErrorKind.STREAM_INTERRUPTED, message, cause.provider(), cause.model(), cause.status(), cause.code(),
                cause.retryAfter(), cause.resetAt(), cause);
        this.partialContent = Objects.requireNonNull(partialContent, "partialContent");
        this.inToolCall = inToolCall;
    }

    /** The text delivered before the failure. */
    public String partialContent() {
        return partialContent;
    }

    /** Whether the stream had started a tool call (such streams are never resumed). */
    public boolean inToolCall() {
        return inToolCall;
    }

    /** The failure that interrupted the stream. */
    public LlmException interruption() {
        return (LlmException) getCause();
    }
}
