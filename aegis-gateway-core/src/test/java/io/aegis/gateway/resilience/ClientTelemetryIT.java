package io.aegis.gateway.resilience;

import static io.aegis.gateway.testing.FlakyUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.testing.FlakyUpstream;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Metrics and spans of outbound calls with the OpenTelemetry SDK installed (test scope only). */
class ClientTelemetryIT {

    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    final FlakyUpstream upstream = new FlakyUpstream("otel");

    @AfterEach
    void close() {
        upstream.close();
        otel.close();
    }

    @Test
    void eachTryIsMeasuredAndTracedWithSemanticConventionNames() {
        upstream.enqueue(status(503));
        try (ServiceClient c = ServiceClient.builder(UpstreamPolicy.builder("users")
                        .target(Target.of("127.0.0.1", upstream.port()))
                        .retry(RetrySettings.builder().maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build())
                        .build())
                .openTelemetry(otel).build()) {
            String parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
            OutboundResponse r = c.send(CallContext.builder().inboundTraceHeader("traceparent", parent).build(),
                    OutboundRequest.get("/users/1"));
            assertThat(r.status()).isEqualTo(200);
        }
        List<SpanData> tries = spans.getFinishedSpanItems();
        assertThat(tries).hasSize(2).allSatisfy(s -> {
            assertThat(s.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(s.getName()).isEqualTo("GET");
            assertThat(s.getTraceId()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
            assertThat(s.getParentSpanId()).isEqualTo("b7ad6b7169203331");
        });
        assertThat(tries.get(0).getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(503L);
        assertThat(tries.get(0).getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("503");
        assertThat(tries.get(1).getAttributes().get(AttributeKey.longKey("http.request.resend_count"))).isEqualTo(1L);
        // the upstream saw the try's own span as parent
        assertThat(upstream.last().header("traceparent")).contains(tries.get(1).getSpanId());

        MetricData duration = metric("http.client.request.duration");
        assertThat(duration.getUnit()).isEqualTo("s");
        List<HistogramPointData> points = List.copyOf(duration.getHistogramData().getPoints());
        assertThat(points).hasSize(2);
        assertThat(points).allSatisfy(p -> {
            assertThat(p.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
            assertThat(p.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) upstream.port());
            assertThat(p.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
            assertThat(p.getAttributes().get(AttributeKey.stringKey("aegis.upstream"))).isEqualTo("users");
        });
        assertThat(metric("aegis.upstream.retries").getLongSumData().getPoints().iterator().next().getValue()).isEqualTo(1);
    }

    private MetricData metric(String name) {
        return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
