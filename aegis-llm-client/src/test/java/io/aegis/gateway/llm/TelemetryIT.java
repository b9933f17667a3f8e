package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
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
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OpenTelemetry GenAI semantic conventions and the Aegis counters, read back from the SDK. */
class TelemetryIT {

    final InMemoryMetricReader metrics = InMemoryMetricReader.create();
    final InMemorySpanExporter spans = InMemorySpanExporter.create();
    final OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .build();
    final MockProvider openai = new MockProvider(Reply.json(200, "openai/chat-response.json"));
    final MockProvider gemini = new MockProvider(Reply.json(200, "gemini/generate-response.json"));
    LlmClient client;

    @AfterEach
    void close() {
        client.close();
        openai.close();
        gemini.close();
        otel.close();
    }

    static final AttributeKey<String> TYPE = AttributeKey.stringKey("gen_ai.token.type");

    @Test
    void genAiMetricsAndSpans() {
        client = LlmClient.builder()
                .provider(ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("a").build())
                .provider(ProviderSettings.builder("gemini", WireFormat.GEMINI).baseUrl(gemini.baseUrl()).apiKey("g").build())
                .retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO)
                .openTelemetry(otel).build();
        openai.then(Reply.json(503, "openai/error-503-overloaded.json"), Reply.jsonText(200,
                "{\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
                        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":0}}"));

        client.complete(OpenAiWireIT.request());                                           // 503 -> failover to gemini
        client.complete(OpenAiWireIT.request());                                           // empty -> validator -> gemini
        client.complete(OpenAiWireIT.request().toBuilder().temperature(0).build());        // openai, cached
        client.complete(OpenAiWireIT.request().toBuilder().temperature(0).build());        // cache hit

        Collection<MetricData> data = metrics.collectAllMetrics();
        MetricData tokens = metric(data, "gen_ai.client.token.usage");
        assertThat(tokens.getUnit()).isEqualTo("{token}");
        HistogramPointData geminiInput = point(tokens, "gemini", "input");
        assertThat(geminiInput.getSum()).isEqualTo(48.0);
        assertThat(geminiInput.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))).isEqualTo("gcp.gemini");
        assertThat(geminiInput.getAttributes().get(AttributeKey.stringKey("gen_ai.system"))).isEqualTo("gcp.gemini");
        assertThat(geminiInput.getAttributes().get(AttributeKey.stringKey("gen_ai.operation.name"))).isEqualTo("chat");
        assertThat(geminiInput.getAttributes().get(AttributeKey.stringKey("gen_ai.request.model"))).isEqualTo("gemini-2.5-flash");
        assertThat(geminiInput.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))).isEqualTo("gemini-2.5-flash");
        assertThat(point(tokens, "gemini", "output").getSum()).isEqualTo(124.0);

        MetricData duration = metric(data, "gen_ai.client.operation.duration");
        assertThat(duration.getUnit()).isEqualTo("s");
        assertThat(duration.getHistogramData().getPoints()).anySatisfy(p ->
                assertThat(p.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("overloaded"));

        assertThat(sum(data, "aegis.llm.failovers")).isEqualTo(2);
        assertThat(sum(data, "aegis.llm.validation.failures")).isEqualTo(1);
        assertThat(sum(data, "aegis.llm.cache.hits")).isEqualTo(1);
        assertThat(sum(data, "aegis.llm.cache.misses")).isEqualTo(1);
        assertThat(metric(data, "aegis.llm.cost").getUnit()).isEqualTo("USD");
        double cost = metric(data, "aegis.llm.cost").getDoubleSumData().getPoints().stream().mapToDouble(p -> p.getValue()).sum();
        // two gemini answers at 0.0001622 + one openai at 0.0000129 + the empty openai answer (3 input tokens)
        assertThat(cost).isCloseTo(2 * 0.0001622 + 0.0000129 + 3 * 1.5e-7, org.assertj.core.data.Offset.offset(1e-12));

        List<SpanData> finished = spans.getFinishedSpanItems();
        assertThat(finished).extracting(SpanData::getName).contains("chat gpt-4o-mini", "chat gemini-2.5-flash");
        assertThat(finished).anySatisfy(s -> assertThat(s.getStatus().getStatusCode().name()).isEqualTo("ERROR"));
    }

    static MetricData metric(Collection<MetricData> data, String name) {
        Optional<MetricData> m = data.stream().filter(d -> d.getName().equals(name)).findFirst();
        assertThat(m).as("metric %s", name).isPresent();
        return m.get();
    }

    static HistogramPointData point(MetricData m, String provider, String type) {
        return m.getHistogramData().getPoints().stream()
                .filter(p -> provider.equals(p.getAttributes().get(AttributeKey.stringKey("aegis.llm.provider")))
                        && type.equals(p.getAttributes().get(TYPE)))
                .findFirst().orElseThrow(() -> new AssertionError("no point " + provider + "/" + type));
    }

    static long sum(Collection<MetricData> data, String name) {
        return metric(data, name).getLongSumData().getPoints().stream().mapToLong(p -> p.getValue()).sum();
    }

    static Attributes none() {
        return Attributes.empty();
    }
}
