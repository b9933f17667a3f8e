package io.aegis.gateway.benchmarks;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.versioning.ApiVersion;
import io.aegis.gateway.versioning.VersioningSettings;
import java.time.Instant;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What API versioning adds to a request: the same public route through a gateway without
 * versions and one with a catalogue, for a path version (active and deprecated, the latter with
 * its lifecycle headers, usage counting and deprecated-call metric) and a header version (which
 * also rewrites the path). Run with two threads, the usage counters being shared.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class VersioningBenchmark {

    private AegisGateway plain;
    private AegisGateway versioned;
    private FakeRequest v2;
    private FakeRequest v1;
    private FakeRequest byHeader;

    @Setup
    public void setup() {
        ServicePolicy.Builder policy = ServicePolicy.builder("bench")
                .rateLimits(RateLimitSettings.builder().enabled(false).build())
                .route(RoutePolicy.builder("GET", "/api/v1/users/{id}").publicAccess().build())
                .route(RoutePolicy.builder("GET", "/api/v2/users/{id}").publicAccess().build());
        plain = AegisGateway.builder().policy(policy.build()).build();
        versioned = AegisGateway.builder().policy(policy.versioning(VersioningSettings.builder()
                .version(ApiVersion.builder("v1").deprecation(Instant.parse("2025-01-01T00:00:00Z"))
                        .sunset(Instant.parse("2099-01-01T00:00:00Z")).successor("v2")
                        .migrationGuide("https://docs.example.com/v1-to-v2").build())
                .version(ApiVersion.builder("v2").build())
                .defaultVersion("v2").build()).build()).build();
        v2 = FakeRequest.get("/api/v2/users/u-1001").remote("203.0.113.7");
        v1 = FakeRequest.get("/api/v1/users/u-1001").remote("203.0.113.7");
        byHeader = FakeRequest.get("/api/users/u-1001").header("Api-Version", "1").remote("203.0.113.7");
        for (FakeRequest r : new FakeRequest[] {v2, v1, byHeader}) {
            Decision d = versioned.pipeline().evaluate(new Exchange(r));
            if (d.rejects()) {
                throw new IllegalStateException("benchmark request is rejected: " + d);
            }
        }
    }

    @TearDown
    public void close() {
        plain.close();
        versioned.close();
    }

    private static Exchange run(AegisGateway g, FakeRequest r) {
        Exchange ex = new Exchange(r);
        Pipeline p = g.pipeline();
        p.evaluate(ex);
        p.complete(ex, 200);
        return ex;
    }

    @Benchmark
    public Exchange unversioned() {
        return run(plain, v2);
    }

    @Benchmark
    public Exchange activeByPath() {
        return run(versioned, v2);
    }

    @Benchmark
    public Exchange deprecatedByPath() {
        return run(versioned, v1);
    }

    @Benchmark
    public Exchange deprecatedByHeader() {
        return run(versioned, byHeader);
    }
}
