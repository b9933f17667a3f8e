package io.aegis.gateway.llm;

/**
 * The one error taxonomy every provider's failures map to, from the HTTP status, the error body
 * and the headers. Each kind says whether the same candidate may be retried, whether the router
 * fails over to the next candidate, and whether it counts against the candidate's circuit breaker.
 */
public enum LlmErrorKind {
    /** Too many requests or tokens for now (429 with a retry hint). Retried after the hint, else failed over. */
    RATE_LIMITED(true, true, false),
    /** Billing quota, credits or spend limit exhausted: not retried; the credential is parked until its reset. */
    QUOTA_EXHAUSTED(false, true, false),
    /** The provider is overloaded (Anthropic 529, OpenAI/Gemini 503, Ollama busy, TGI overloaded). */
    OVERLOADED(true, true, true),
    /** The prompt and output limit exceed the model's context window: fails over to a larger window. */
    CONTEXT_TOO_LONG(false, true, false),
    /** The provider refused the prompt or withheld the answer (safety, policy): fails over. */
    CONTENT_FILTERED(false, true, false),
    /** The credential is invalid or lacks permission: parked, failed over, not counted as provider health. */
    AUTHENTICATION(false, true, false),
    /** The model does not exist on this provider (e.g. not pulled on Ollama): parked, failed over. */
    MODEL_NOT_FOUND(false, true, false),
    /** The request is invalid for the provider: neither retried nor failed over. */
    BAD_REQUEST(false, false, false),
    /** The provider failed (5xx). */
    SERVER_ERROR(true, true, true),
    /** No answer, or no data between chunks, within the configured time. */
    TIMEOUT(true, true, true),
    /** The stream ended or broke before the provider's end marker. */
    STREAM_INTERRUPTED(true, true, true),
    /** The answer failed a quality validator. */
    VALIDATION_FAILED(false, true, false),
    /** The caller's budget cannot cover the call's worst case. */
    BUDGET_EXCEEDED(false, false, false),
    /** No candidate could be tried (all circuits open, none fits the request) or every candidate failed. */
    UNAVAILABLE(false, false, false),
    /** The caller cancelled the call. */
    CANCELLED(false, false, false);

    private final boolean retryable;
    private final boolean failover;
    private final boolean countsAgainstHealth;

    LlmErrorKind(boolean retryable, boolean failover, boolean countsAgainstHealth) {
        this.retryable = retryable;
        this.failover = failover;
        this.countsAgainstHealth = countsAgainstHealth;
    }

    /** Whether the same candidate may be tried again (after a backoff or the provider's hint). */
    public boolean retryable() {
        return retryable;
    }

    /** Whether the router moves on to the next candidate. */
    public boolean failover() {
        return failover;
    }

    /** Whether the failure counts towards opening the candidate's circuit breaker. */
    public boolean countsAgainstHealth() {
        return countsAgainstHealth;
    }
}
