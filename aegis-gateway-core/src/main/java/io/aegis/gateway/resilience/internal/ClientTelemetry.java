package io.aegis.gateway.resilience.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.List;
import java.util.Map;

/**
 * The OpenTelemetry instruments of outbound calls (API only; no-op unless the application
 * installs an SDK) and W3C trace-context propagation.
 *
 * <p>Metric names follow the HTTP client semantic conventions where one exists
 * ({@code http.client.request.duration}, seconds, per try, with {@code http.request.method},
 * {@code server.address}, {@code server.port}, {@code http.response.status_code},
 * {@code error.type}); the resilience counters are ours under {@code aegis.upstream.*}, each with
 * the {@code aegis.upstream} attribute.
 *
 * <p>Thread-safe.
 */
public final class ClientTelemetry {

    public static final String SCOPE = "io.aegis.gateway.resilience";

    public static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    public static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    public static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    public static final AttributeKey<String> UPSTREAM = AttributeKey.stringKey("aegis.upstream");
    public static final AttributeKey<String> TARGET = AttributeKey.stringKey("aegis.upstream.target");
    public static final AttributeKey<String> STATE = AttributeKey.stringKey("aegis.circuit.state");
    public static final AttributeKey<String> KIND = AttributeKey.stringKey("aegis.fallback.kind");
    public static final AttributeKey<String> REASON = AttributeKey.stringKey("aegis.reason");

    private static final List<Double> DURATION_BUCKETS = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0);

    private static final TextMapGetter<Map<String, String>> MAP_GETTER = new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract in the API; nothing else to implement
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final DoubleHistogram duration;
    private final LongCounter retries;
    private final LongCounter budgetExhausted;
    private final LongCounter fallbacks;
    private final LongCounter ejections;
    private final LongCounter transitions;
    private final LongCounter rejections;

    public ClientTelemetry(OpenTelemetry otel) {
        Meter meter = otel.getMeter(SCOPE);
        this.tracer = otel.getTracer(SCOPE);
        TextMapPropagator p = otel.getPropagators().getTextMapPropagator();
        // Without an SDK the global propagator is a no-op; trace context must still pass through.
        this.propagator = p.fields().isEmpty()
                ? TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())
                : p;
        this.duration = meter.histogramBuilder("http.client.request.duration").setUnit("s")
                .setDescription("Duration of HTTP client requests (each try).")
                .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS).build();
        this.retries = meter.counterBuilder("aegis.upstream.retries").setUnit("{retry}")
                .setDescription("Retries of outbound calls.").build();
        this.budgetExhausted = meter.counterBuilder("aegis.upstream.retry_budget.exhausted").setUnit("{retry}")
                .setDescription("Retries refused because the upstream's retry budget was spent.").build();
        this.fallbacks = meter.counterBuilder("aegis.upstream.fallbacks").setUnit("{call}")
                .setDescription("Failed outbound calls answered by a fallback.").build();
        this.ejections = meter.counterBuilder("aegis.upstream.ejections").setUnit("{ejection}")
                .setDescription("Targets ejected by outlier detection.").build();
        this.transitions = meter.counterBuilder("aegis.upstream.circuit.transitions").setUnit("{transition}")
                .setDescription("Circuit breaker state changes, by the state entered.").build();
        this.rejections = meter.counterBuilder("aegis.upstream.rejections").setUnit("{call}")
                .setDescription("Tries refused locally: open circuit, full bulkhead, no available target.").build();
    }

    public TextMapPropagator propagator() {
        return propagator;
    }

    /**
     * The parent of outbound spans: the context's span when it has a valid one, else the trace
     * extracted from the inbound W3C headers.
     */
    public Context parent(Context context, Map<String, String> inboundHeaders) {
        if (Span.fromContext(context).getSpanContext().isValid() || inboundHeaders.isEmpty()) {
            return context;
        }
        return propagator.extract(context, inboundHeaders, MAP_GETTER);
    }

    public Span startSpan(Context parent, String method, String host, int port, String url, int resendCount,
                          String upstream) {
        var b = tracer.spanBuilder(method).setSpanKind(SpanKind.CLIENT).setParent(parent)
                .setAttribute(METHOD, method).setAttribute(SERVER_ADDRESS, host).setAttribute(SERVER_PORT, (long) port)
                .setAttribute(URL_FULL, url).setAttribute(UPSTREAM, upstream);
        if (resendCount > 0) {
            b.setAttribute(RESEND_COUNT, (long) resendCount);
        }
        return b.startSpan();
    }

    public void endSpan(Span span, int status, String errorType) {
        if (status > 0) {
            span.setAttribute(STATUS, (long) status);
        }
        if (errorType != null) {
            span.setAttribute(ERROR_TYPE, errorType);
            span.setStatus(StatusCode.ERROR);
        }
        span.end();
    }

    public void recordDuration(double seconds, String method, String host, int port, int status, String errorType,
                               String upstream) {
        AttributesBuilder a = Attributes.builder().put(METHOD, method).put(SERVER_ADDRESS, host)
                .put(SERVER_PORT, (long) port).put(UPSTREAM, upstream);
        if (status > 0) {
            a.put(STATUS, (long) status);
        }
        if (errorType != null) {
            a.put(ERROR_TYPE, errorType);
        }
        duration.record(seconds, a.build());
    }

    public void retry(String upstream) {
        retries.add(1, Attributes.of(UPSTREAM, upstream));
    }

    public void budgetExhausted(String upstream) {
        budgetExhausted.add(1, Attributes.of(UPSTREAM, upstream));
    }

    public void fallback(String upstream, String kind) {
        fallbacks.add(1, Attributes.of(UPSTREAM, upstream, KIND, kind));
    }

    public void ejection(String upstream, String target) {
        ejections.add(1, Attributes.of(UPSTREAM, upstream, TARGET, target));
    }

    public void transition(String upstream, String target, String state) {
        transitions.add(1, Attributes.of(UPSTREAM, upstream, TARGET, target, STATE, state));
    }

    public void rejection(String upstream, String reason) {
        rejections.add(1, Attributes.of(UPSTREAM, upstream, REASON, reason));
    }
}
