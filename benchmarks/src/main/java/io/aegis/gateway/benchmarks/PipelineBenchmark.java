package io.aegis.gateway.benchmarks;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.ratelimit.TierLimits;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole inbound chain as an adapter runs it (client address, route match, cached JWT,
 * scopes, local rate limit, response headers) against an empty chain on the same request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PipelineBenchmark {

    private AegisGateway gateway;
    private Pipeline empty;
    private FakeRequest request;

    @Setup
    public void setup() {
        TestKeys.SigningKey key = TestKeys.rsa("bench");
        ServicePolicy policy = ServicePolicy.builder("bench")
                .jwt(JwtSettings.builder(JwtKeySource.jwksJson(TestKeys.jwks(key)))
                        .issuer(Tokens.ISSUER).audiences(Tokens.AUDIENCE).build())
                .rateLimits(RateLimitSettings.builder()
                        .tiers(TierLimits.builder().tier(io.aegis.gateway.policy.Tier.FREE, "1000000000/1s,1000000000000/1h").build())
                        .build())
                .route(RoutePolicy.builder("GET", "/api/v1/users/{id}").scopes(Requirement.allOf("users:read")).build())
                .route(RoutePolicy.builder("POST", "/api/v1/users").scopes(Requirement.allOf("users:write")).build())
                .route(RoutePolicy.builder("GET", "/health/ready").publicAccess().build())
                .build();
        gateway = AegisGateway.builder().policy(policy).build();
        empty = Pipeline.builder().build();
        String token = Tokens.mint(key).scopes("users:read").claim("exp", Long.MAX_VALUE / 4000).sign();
        request = FakeRequest.get("/api/v1/users/u-1001?fields=name").bearer(token).remote("203.0.113.7");
        Exchange check = new Exchange(request);
        Decision d = gateway.pipeline().evaluate(check);
        if (d.rejects()) {
            throw new IllegalStateException("benchmark request is rejected: " + d);
        }
    }

    @TearDown
    public void close() {
        gateway.close();
    }

    @Benchmark
    public Exchange fullChain() {
        Exchange ex = new Exchange(request);
        Pipeline p = gateway.pipeline();
        p.evaluate(ex);
        p.complete(ex, 200);
        return ex;
    }

    @Benchmark
    public Exchange emptyChain() {
        Exchange ex = new Exchange(request);
        empty.evaluate(ex);
        empty.complete(ex, 200);
        return ex;
    }
}
