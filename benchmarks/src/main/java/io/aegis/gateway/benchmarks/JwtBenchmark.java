package io.aegis.gateway.benchmarks;

import io.aegis.gateway.auth.jwt.JwtAuthenticator;
import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JWT verification: the first use of a token (strict parse, header checks, signature, claims)
 * and the repeated use answered by the verified-token cache. Budget: cached ≤ 0.5 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JwtBenchmark {

    @Param({"HS256", "RS256", "ES256"})
    public String alg;

    private JwtAuthenticator uncached;
    private JwtAuthenticator cached;
    private String token;

    @Setup
    public void setup() {
        byte[] secret = "0123456789abcdef0123456789abcdef-benchmark-secret".getBytes(StandardCharsets.UTF_8);
        JwtKeySource source;
        if (alg.equals("HS256")) {
            source = JwtKeySource.secret(secret);
            token = Tokens.mint(null).noKid().scopes("users:read").claim("exp", Long.MAX_VALUE / 4000)
                    .signHmac(secret, "HS256");
        } else {
            TestKeys.SigningKey k = alg.equals("RS256") ? TestKeys.rsa("b1") : TestKeys.ec("b1", "ES256");
            source = JwtKeySource.jwksJson(TestKeys.jwks(k));
            token = Tokens.mint(k).scopes("users:read").claim("exp", Long.MAX_VALUE / 4000).sign();
        }
        JwtSettings.Builder s = JwtSettings.builder(source).issuer(Tokens.ISSUER).audiences(Tokens.AUDIENCE);
        uncached = JwtAuthenticator.builder(s.cacheMaxEntries(0).build()).build();
        cached = JwtAuthenticator.builder(s.cacheMaxEntries(10_000).build()).build();
        if (!cached.verify(token).isSuccess() || !uncached.verify(token).isSuccess()) {
            throw new IllegalStateException("benchmark token does not verify: " + cached.verify(token));
        }
    }

    @TearDown
    public void close() {
        uncached.close();
        cached.close();
    }

    /** Every call verifies the signature (no verified-token cache). */
    @Benchmark
    public AuthenticationResult firstUse() {
        return uncached.verify(token);
    }

    /** A repeated valid token, answered from the verified-token cache. */
    @Benchmark
    public AuthenticationResult cached() {
        return cached.verify(token);
    }
}
