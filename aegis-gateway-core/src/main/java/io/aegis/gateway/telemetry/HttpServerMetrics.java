package io.aegis.gateway.telemetry;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.versioning.ResolvedVersion;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Records the OpenTelemetry HTTP server metric {@value #DURATION_METRIC} (a histogram in
 * seconds, with the semantic-convention bucket boundaries) for every request the pipeline sees,
 * rejected or answered by the application.
 *
 * <p>Attributes: {@code http.request.method} (known methods, else {@code _OTHER}),
 * {@code http.response.status_code}, {@code url.scheme}, {@code http.route} (the matched route's
 * template; absent for requests no declared route serves), and, for versioned requests,
 * {@code aegis.api.version} and {@code aegis.api.version.status} ({@code active},
 * {@code deprecated}, {@code sunset}).
 *
 * <p>Runs first ({@link Stage#CLIENT_ADDRESS}) and never rejects, so its completion hook sees
 * every request; the duration is measured from {@link Exchange#startNanos()}. Thread-safe.
 */
public final class HttpServerMetrics implements GatewayPolicy {

    /** The histogram's name (OpenTelemetry HTTP semantic conventions). */
    public static final String DURATION_METRIC = "http.server.request.duration";

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<String> SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> VERSION = AttributeKey.stringKey("aegis.api.version");
    static final AttributeKey<String> VERSION_STATUS = AttributeKey.stringKey("aegis.api.version.status");

    private static final Set<String> KNOWN_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT",
            "OPTIONS", "TRACE", "PATCH", "QUERY");
    private static final List<Double> BOUNDARIES = List.of(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0,
            2.5, 5.0, 7.5, 10.0);

    // Bounded: statuses are few, routes and versions are declared, methods are folded to known ones.
    private static final int MAX_ATTRIBUTE_SETS = 4096;

    private final DoubleHistogram duration;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Key, Attributes> attributes = new ConcurrentHashMap<>();

    /** Records into the meter {@code io.aegis.gateway} of this OpenTelemetry instance. */
    public HttpServerMetrics(OpenTelemetry openTelemetry) {
        this(openTelemetry, System::nanoTime);
    }

    /**
     * @param nanoTime the same clock as {@link Exchange#startNanos()} ({@link System#nanoTime()});
     *     tests pass their own
     */
    public HttpServerMetrics(OpenTelemetry openTelemetry, LongSupplier nanoTime) {
        this.duration = Objects.requireNonNull(openTelemetry, "openTelemetry").getMeter("io.aegis.gateway")
                .histogramBuilder(DURATION_METRIC)
                .setUnit("s")
                .setDescription("Duration of HTTP server requests.")
                .setExplicitBucketBoundariesAdvice(BOUNDARIES)
                .build();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public Stage stage() {
        return Stage.CLIENT_ADDRESS;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        return Decision.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, int status) {
        double seconds = Math.max(0L, nanoTime.getAsLong() - exchange.startNanos()) / 1e9;
        String method = exchange.request().method();
        RoutePolicy route = exchange.route();
        ResolvedVersion v = exchange.attribute(ResolvedVersion.ATTRIBUTE);
        Key key = new Key(KNOWN_METHODS.contains(method) ? method : "_OTHER", status, exchange.request().secure(),
                route != null && !"fallback".equals(route.id()) ? route.path() : null,
                v == null ? null : v.id(), v == null ? null : v.status().id());
        Attributes a = attributes.get(key);
        if (a == null) {
            a = key.attributes();
            if (attributes.size() < MAX_ATTRIBUTE_SETS) {
                attributes.putIfAbsent(key, a);
            }
        }
        duration.record(seconds, a);
    }

    /**
     * The attribute values of one request; few distinct sets exist (routes × methods × statuses ×
     * versions), so each set is built (and sorted by OpenTelemetry) once.
     */
    private record Key(String method, int status, boolean secure, String route, String version, String versionStatus) {
        Attributes attributes() {
            AttributesBuilder a = Attributes.builder()
                    .put(METHOD, method)
                    .put(STATUS, (long) status)
                    .put(SCHEME, secure ? "https" : "http");
            if (route != null) {
                a.put(ROUTE, route);
            }
            if (version != null) {
                a.put(VERSION, version).put(VERSION_STATUS, versionStatus);
            }
            return a.build();
        }
    }
}
