package io.aegis.gateway.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.aegis.gateway.resilience.CallContext;
import io.aegis.gateway.resilience.OutboundRequest;
import io.aegis.gateway.resilience.ServiceClient;
import io.aegis.gateway.resilience.Target;
import io.aegis.gateway.resilience.UpstreamPolicy;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the resilient client around one successful loopback GET: the bare JDK
 * {@code HttpClient} against the {@code ServiceClient} (Failsafe retry, target choice, breaker,
 * bulkhead, deadline, propagation headers, no-op telemetry) on the same local upstream. The
 * difference is the client's overhead per call; the round trip itself dominates both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ServiceClientBenchmark {

    private HttpServer upstream;
    private HttpClient bare;
    private HttpRequest bareRequest;
    private ServiceClient client;
    private final OutboundRequest request = OutboundRequest.get("/users/u-1001");

    @Setup(Level.Trial)
    public void setup() throws Exception {
        // Without TCP_NODELAY the JDK server's two writes per answer meet delayed ACKs (~40 ms a call).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        byte[] body = "{\"id\":\"u-1001\",\"name\":\"Ada Lovelace\"}".getBytes(StandardCharsets.UTF_8);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        upstream.setExecutor(Executors.newFixedThreadPool(2));
        upstream.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
        int port = upstream.getAddress().getPort();
        bare = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(1)).build();
        bareRequest = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/users/u-1001"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        client = ServiceClient.builder(UpstreamPolicy.builder("users").target(Target.of("127.0.0.1", port)).build()).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
        upstream.stop(0);
    }

    /** Baseline: the JDK client alone. */
    @Benchmark
    public int bareHttpClient() throws Exception {
        return bare.send(bareRequest, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    /** The same call through the ServiceClient. */
    @Benchmark
    public int serviceClient() {
        return client.send(CallContext.none(), request).status();
    }
}
