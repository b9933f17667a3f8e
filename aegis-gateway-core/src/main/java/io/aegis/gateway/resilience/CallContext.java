package io.aegis.gateway.resilience;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayRequest;
import io.opentelemetry.context.Context;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What an outbound call inherits from the request it is made for: the caller's credential (to
 * forward), the principal, the propagated {@link Deadline}, and the trace context.
 *
 * <p>The client learns the current request only through this explicit argument — never through a
 * thread-local — so a call made on another thread (a parallel fan-out, an executor) carries the
 * same context. Capture it on the request thread with {@link #from(Exchange)} (the JAX-RS adapter
 * offers {@code AegisContext.callContext(requestContext)}; servlet applications find the exchange
 * in the request attribute {@code AegisFilter.EXCHANGE_ATTRIBUTE}); use {@link #none()} for work
 * that no request caused.
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the credential.
 */
public final class CallContext {

    /** The W3C trace-context and baggage headers captured from the inbound request. */
    static final String[] TRACE_HEADERS = {"traceparent", "tracestate", "baggage"};

    private static final CallContext NONE = new CallContext(null, null, null, Context.root(), Map.of());

    private final String authorization;
    private final Principal principal;
    private final Deadline deadline;
    private final Context traceContext;
    private final Map<String, String> inboundTraceHeaders;

    private CallContext(String authorization, Principal principal, Deadline deadline, Context traceContext,
                        Map<String, String> inboundTraceHeaders) {
        this.authorization = authorization;
        this.principal = principal;
        this.deadline = deadline;
        this.traceContext = traceContext;
        this.inboundTraceHeaders = inboundTraceHeaders;
    }

    /** No caller: no credential to forward, no deadline but the client's own, a new trace. */
    public static CallContext none() {
        return NONE;
    }

    /**
     * Captures the context of an inbound request, on its thread: its {@code Authorization} header,
     * the principal the pipeline established, the deadline of {@link DeadlinePolicy}, the current
     * OpenTelemetry context, and the inbound {@code traceparent}, {@code tracestate} and
     * {@code baggage} headers (used when no span is current, e.g. without an instrumentation agent).
     */
    public static CallContext from(Exchange exchange) {
        Objects.requireNonNull(exchange, "exchange");
        GatewayRequest r = exchange.request();
        Map<String, String> trace = new LinkedHashMap<>(4);
        for (String h : TRACE_HEADERS) {
            String v = r.header(h);
            if (v != null && v.length() <= 8192) {
                trace.put(h, v);
            }
        }
        return new CallContext(r.header("Authorization"), exchange.principal(),
                exchange.attribute(DeadlinePolicy.DEADLINE), Context.current(), Map.copyOf(trace));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The caller's {@code Authorization} header value, or {@code null}. Never log it. */
    public String authorization() {
        return authorization;
    }

    /** The caller, or {@code null} when anonymous or unknown. */
    public Principal principal() {
        return principal;
    }

    /** The deadline the caller propagated, or {@code null}. */
    public Deadline deadline() {
        return deadline;
    }

    /** The OpenTelemetry context outbound spans are children of. */
    public Context traceContext() {
        return traceContext;
    }

    /** The W3C trace headers of the inbound request by lower-case name (may be empty). */
    public Map<String, String> inboundTraceHeaders() {
        return inboundTraceHeaders;
    }

    /** This context with another deadline. */
    public CallContext withDeadline(Deadline newDeadline) {
        return new CallContext(authorization, principal, newDeadline, traceContext, inboundTraceHeaders);
    }

    @Override
    public String toString() {
        return "CallContext[" + (principal == null ? "anonymous" : principal.subject())
                + (authorization == null ? "" : ", credential ****") + (deadline == null ? "" : ", " + deadline) + "]";
    }

    /** Builds a {@link CallContext} by hand (tests, background jobs). Not thread-safe. */
    public static final class Builder {
        private String authorization;
        private Principal principal;
        private Deadline deadline;
        private Context traceContext = Context.root();
        private final Map<String, String> trace = new LinkedHashMap<>();

        private Builder() {
        }

        /** The {@code Authorization} header value to forward, e.g. {@code Bearer eyJ…}. */
        public Builder authorization(String value) {
            this.authorization = value;
            return this;
        }

        public Builder principal(Principal principal) {
            this.principal = principal;
            return this;
        }

        public Builder deadline(Deadline deadline) {
            this.deadline = deadline;
            return this;
        }

        public Builder traceContext(Context context) {
            this.traceContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** An inbound W3C header ({@code traceparent}, {@code tracestate} or {@code baggage}). */
        public Builder inboundTraceHeader(String name, String value) {
            String n = name.toLowerCase(Locale.ROOT);
            if (!java.util.List.of(TRACE_HEADERS).contains(n)) {
                throw new IllegalArgumentException("name: " + name + " (expected: traceparent, tracestate or baggage)");
            }
            trace.put(n, Objects.requireNonNull(value, "value"));
            return this;
        }

        public CallContext build() {
            return new CallContext(authorization, principal, deadline, traceContext, Map.copyOf(trace));
        }
    }
}
