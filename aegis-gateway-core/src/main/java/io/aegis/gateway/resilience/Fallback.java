package io.aegis.gateway.resilience;

import java.util.Objects;
import java.util.function.Function;

/**
 * What answers an outbound call that failed — after retries, with no response, a 5xx, an open
 * circuit, a full bulkhead or a passed deadline — instead of an {@link UpstreamException}:
 * <ul>
 *   <li>{@link #value(OutboundResponse)}: a fixed response;</li>
 *   <li>{@link #lastGood()}: the last 2xx response to the same {@code GET}/{@code HEAD} (method, path
 *       and query), kept in a bounded cache per client; when there is none the call fails as
 *       without a fallback;</li>
 *   <li>{@link #of(Function)}: a function of the failure.</li>
 * </ul>
 * The answer is marked ({@link OutboundResponse#fromFallback()}) so the application can tell the
 * client it is degraded. Immutable and thread-safe.
 */
public final class Fallback {

    /** The kinds, as reported by {@link OutboundResponse#fallback()} and in metrics. */
    public static final String VALUE = "value";
    public static final String LAST_GOOD = "last-good";
    public static final String FUNCTION = "function";

    private final String kind;
    private final OutboundResponse value;
    private final Function<Failure, OutboundResponse> function;

    private Fallback(String kind, OutboundResponse value, Function<Failure, OutboundResponse> function) {
        this.kind = kind;
        this.value = value;
        this.function = function;
    }

    /** Always this response. */
    public static Fallback value(OutboundResponse response) {
        return new Fallback(VALUE, Objects.requireNonNull(response, "response"), null);
    }

    /** The last good response to the same request, if the client has one. */
    public static Fallback lastGood() {
        return new Fallback(LAST_GOOD, null, null);
    }

    /**
     * A response computed from the failure; the function may return {@code null} to let the call
     * fail, and its exceptions propagate.
     */
    public static Fallback of(Function<Failure, OutboundResponse> function) {
        return new Fallback(FUNCTION, null, Objects.requireNonNull(function, "function"));
    }

    public String kind() {
        return kind;
    }

    OutboundResponse value() {
        return value;
    }

    Function<Failure, OutboundResponse> function() {
        return function;
    }

    @Override
    public String toString() {
        return "Fallback[" + kind + "]";
    }

    /**
     * The failed call a fallback answers.
     *
     * @param request the request
     * @param response the last response (a 5xx), or {@code null} when there was none
     * @param exception the failure, or {@code null} when a response was received
     */
    public record Failure(OutboundRequest request, OutboundResponse response, UpstreamException exception) {
    }
}
