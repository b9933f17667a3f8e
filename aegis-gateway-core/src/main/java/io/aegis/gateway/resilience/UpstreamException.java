package io.aegis.gateway.resilience;

import java.util.Objects;

/**
 * An outbound call that got no usable answer and had no fallback. {@link #kind()} says why;
 * {@link #sent()} whether the last try may have reached the upstream.
 *
 * <p>Upstream failures are expected events, so the exception records no stack trace of its own
 * (the cause, if any, keeps its).
 */
public final class UpstreamException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why a call failed. */
    public enum Kind {
        /** The connection could not be made (refused, connect timeout, DNS): the request was not sent. */
        CONNECT_FAILED(false),
        /** The connection broke (reset, closed) after the request may have been sent. */
        CONNECTION_LOST(true),
        /** A try took longer than its per-try timeout. */
        TIMEOUT(true),
        /** The call's total deadline (or the caller's propagated deadline) passed. */
        DEADLINE_EXCEEDED(false),
        /** Every available target's circuit breaker is open. */
        CIRCUIT_OPEN(false),
        /** No target is available (all unhealthy or ejected). */
        NO_AVAILABLE_TARGET(false),
        /** The bulkhead had no room and its queue was full or the wait too long. */
        BULKHEAD_FULL(false),
        /** The answer's body exceeded {@link ServiceClient#MAX_RESPONSE_BYTES}; not retried. */
        RESPONSE_TOO_LARGE(true),
        /** The thread was interrupted while waiting. */
        INTERRUPTED(false),
        /** The client is closed. */
        CLOSED(false);

        private final boolean sent;

        Kind(boolean sent) {
            this.sent = sent;
        }

        /** {@code true} when a failure of this kind may happen after the request reached the upstream. */
        public boolean sent() {
            return sent;
        }
    }

    private final String upstream;
    private final Kind kind;
    private final String target;

    public UpstreamException(String upstream, Kind kind, String target, String message, Throwable cause) {
        super(upstream + (target == null ? "" : " (" + target + ")") + ": " + kind + (message == null ? "" : ": " + message),
                cause, false, false);
        this.upstream = Objects.requireNonNull(upstream, "upstream");
        this.kind = Objects.requireNonNull(kind, "kind");
        this.target = target;
    }

    /** The upstream's name. */
    public String upstream() {
        return upstream;
    }

    public Kind kind() {
        return kind;
    }

    /** The target of the last try ({@code host:port}), or {@code null} when none was chosen. */
    public String target() {
        return target;
    }

    /** {@code true} when the request may have reached the upstream. */
    public boolean sent() {
        return kind.sent();
    }
}
