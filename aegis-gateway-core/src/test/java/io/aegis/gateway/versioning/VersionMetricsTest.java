package io.aegis.gateway.versioning;

import static io.aegis.gateway.versioning.VersionTestSupport.call;
import static io.aegis.gateway.versioning.VersionTestSupport.catalogue;
import static io.aegis.gateway.versioning.VersionTestSupport.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestClock;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metrics, read with the OpenTelemetry SDK's in-memory reader. */
class VersionMetricsTest {

    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> VERSION = AttributeKey.stringKey("aegis.api.version");
    static final AttributeKey<String> VERSION_STATUS = AttributeKey.stringKey("aegis.api.version.status");
    static final AttributeKey<String> CLIENT = AttributeKey.stringKey("aegis.client.id");

    @Test
    void requestDurationAndDeprecatedCallsByClient() {
        InMemoryMetricReader reader = InMemoryMetricReader.create();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(reader).build()).build();
        TestClock clock = TestClock.at("2026-03-01T00:00:00Z");
        try (AegisGateway g = AegisGateway.builder().policy(service(catalogue().build()).build()).clock(clock)
                .authenticator(new VersionTestSupport.HeaderAuthenticator()).openTelemetry(otel).build()) {
            call(g, FakeRequest.get("/api/v1/users/1").header("X-Test-User", "alice"));
            call(g, FakeRequest.get("/api/v1/users/2").header("X-Test-User", "alice"));
            call(g, FakeRequest.get("/api/users/3").header("Api-Version", "1").header("X-Test-User", "bob"));
            call(g, FakeRequest.get("/api/v2/users/1").header("X-Test-User", "alice"));
            call(g, FakeRequest.get("/api/v9/users/1"));
            call(g, FakeRequest.of("BREW", "/health").secure(true));
            clock.set("2027-02-01T00:00:00Z");
            call(g, FakeRequest.get("/api/v1/users/1").header("X-Test-User", "alice"));

            Collection<MetricData> metrics = reader.collectAllMetrics();
            MetricData duration = metric(metrics, "http.server.request.duration");
            assertThat(duration.getUnit()).isEqualTo("s");
            List<HistogramPointData> points = List.copyOf(duration.getHistogramData().getPoints());
            assertThat(point(points, Attributes.builder().put(METHOD, "GET").put(STATUS, 200L).put(SCHEME, "http")
                    .put(ROUTE, "/api/v1/users/{id}").put(VERSION, "v1").put(VERSION_STATUS, "deprecated").build()).getCount())
                    .isEqualTo(3);
            assertThat(point(points, Attributes.builder().put(METHOD, "GET").put(STATUS, 200L).put(SCHEME, "http")
                    .put(ROUTE, "/api/v2/users/{id}").put(VERSION, "v2").put(VERSION_STATUS, "active").build()).getCount())
                    .isEqualTo(1);
            assertThat(point(points, Attributes.builder().put(METHOD, "GET").put(STATUS, 404L).put(SCHEME, "http").build())
                    .getCount()).as("unknown version: no route, no version").isEqualTo(1);
            assertThat(point(points, Attributes.builder().put(METHOD, "_OTHER").put(STATUS, 200L).put(SCHEME, "https")
                    .build()).getCount()).as("no declared route serves BREW /health").isEqualTo(1);
            assertThat(point(points, Attributes.builder().put(METHOD, "GET").put(STATUS, 410L).put(SCHEME, "http")
                    .put(VERSION, "v1").put(VERSION_STATUS, "sunset").build()).getCount()).isEqualTo(1);
            assertThat(points).allSatisfy(p -> assertThat(p.getSum()).isGreaterThanOrEqualTo(0.0).isLessThan(60.0));
            assertThat(points.get(0).getBoundaries()).startsWith(0.005, 0.01, 0.025).endsWith(10.0);

            MetricData deprecated = metric(metrics, VersionManager.DEPRECATED_CALLS_METRIC);
            List<LongPointData> calls = List.copyOf(deprecated.getLongSumData().getPoints());
            assertThat(calls).hasSize(2);
            assertThat(calls).filteredOn(p -> p.getAttributes().equals(Attributes.of(VERSION, "v1", CLIENT, "sub:alice")))
                    .singleElement().satisfies(p -> assertThat(p.getValue()).isEqualTo(2));
            assertThat(calls).filteredOn(p -> p.getAttributes().equals(Attributes.of(VERSION, "v1", CLIENT, "sub:bob")))
                    .singleElement().satisfies(p -> assertThat(p.getValue()).isEqualTo(1));
        }
    }

    static MetricData metric(Collection<MetricData> all, String name) {
        return all.stream().filter(m -> m.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no metric " + name + " in " + all.stream().map(MetricData::getName).toList()));
    }

    static HistogramPointData point(List<HistogramPointData> points, Attributes attributes) {
        return points.stream().filter(p -> p.getAttributes().equals(attributes)).findFirst()
                .orElseThrow(() -> new AssertionError("no point " + attributes + " in "
                        + points.stream().map(HistogramPointData::getAttributes).toList()));
    }
}
