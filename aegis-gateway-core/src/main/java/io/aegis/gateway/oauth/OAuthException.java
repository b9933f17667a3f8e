package io.aegis.gateway.oauth;

/**
 * An OAuth 2.0 request failed. {@link #error()} is the server's error code (RFC 6749 §5.2:
 * {@code invalid_client}, {@code invalid_grant}, {@code invalid_scope}, ...) or one of ours:
 * {@code invalid_state} (a callback whose {@code state} is unknown, expired or reused),
 * {@code invalid_response} (not a valid token response), {@code temporarily_unavailable}
 * (transport failure, timeout, or a 5xx without an error code).
 */
public final class OAuthException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String error;
    private final String description;
    private final int status;

    /**
     * @param error the error code
     * @param description the server's {@code error_description}, or ours; may be {@code null}
     * @param status the HTTP status of the answer, or 0 when there was none
     */
    public OAuthException(String error, String description, int status) {
        this(error, description, status, null);
    }

    public OAuthException(String error, String description, int status, Throwable cause) {
        super(error + (description == null ? "" : ": " + description) + (status > 0 ? " (HTTP " + status + ")" : ""), cause);
        this.error = error;
        this.description = description;
        this.status = status;
    }

    /** The OAuth error code. */
    public String error() {
        return error;
    }

    /** The description, or {@code null}. */
    public String description() {
        return description;
    }

    /** The HTTP status, or 0 when no answer arrived. */
    public int status() {
        return status;
    }
}
