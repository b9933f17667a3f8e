package io.aegis.gateway.benchmarks;

import io.aegis.gateway.apikey.ApiKeyFormat;
import io.aegis.gateway.apikey.ApiKeySettings;
import io.aegis.gateway.apikey.ApiKeys;
import io.aegis.gateway.apikey.NewApiKey;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
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
 * API-key authentication of one request on the in-memory store: a known key (strict parse, CRC32,
 * HMAC-SHA-256, cache hit, validity check) and a mistyped key (refused by the checksum, no lookup).
 * Budget: ≤ 2 µs for a known key.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ApiKeyBenchmark {

    private ApiKeys keys;
    private GatewayRequest known;
    private GatewayRequest typo;

    @Setup(Level.Trial)
    public void setup() {
        keys = ApiKeys.builder(ApiKeySettings.builder()
                .pepper("benchmark-pepper-benchmark-pepper!!".getBytes(StandardCharsets.UTF_8))
                .cacheTtl(java.time.Duration.ofMinutes(5)).build()).build();
        String secret = keys.service().create(NewApiKey.builder("bench").scopes("a:read").build(), "bench").secret();
        known = request(secret);
        char[] c = secret.toCharArray();
        c[20] = c[20] == 'a' ? 'b' : 'a';
        typo = request(new String(c));
        if (!ApiKeyFormat.parse(secret).ok()) {
            throw new IllegalStateException("bad key");
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        keys.close();
    }

    /** A known key, cached after the first call. */
    @Benchmark
    public AuthenticationResult knownKey() {
        return keys.authenticator().authenticate(new Exchange(known));
    }

    /** A key with one wrong character: refused by the checksum before hashing or lookup. */
    @Benchmark
    public AuthenticationResult mistypedKey() {
        return keys.authenticator().authenticate(new Exchange(typo));
    }

    private static GatewayRequest request(String key) {
        return new GatewayRequest() {
            @Override
            public String method() {
                return "GET";
            }

            @Override
            public String path() {
                return "/api/v1/things";
            }

            @Override
            public String rawPath() {
                return "/api/v1/things";
            }

            @Override
            public String rawQuery() {
                return null;
            }

            @Override
            public String header(String name) {
                return "X-API-Key".equalsIgnoreCase(name) ? key : null;
            }

            @Override
            public List<String> headers(String name) {
                return "X-API-Key".equalsIgnoreCase(name) ? List.of(key) : List.of();
            }

            @Override
            public Iterable<String> headerNames() {
                return List.of("X-API-Key");
            }

            @Override
            public String remoteAddress() {
                return "192.0.2.1";
            }

            @Override
            public boolean secure() {
                return true;
            }
        };
    }
}
