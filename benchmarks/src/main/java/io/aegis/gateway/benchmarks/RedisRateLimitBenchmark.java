package io.aegis.gateway.benchmarks;

import io.aegis.gateway.quota.InMemoryQuotaStore;
import io.aegis.gateway.quota.QuotaCalendar;
import io.aegis.gateway.quota.QuotaCounts;
import io.aegis.gateway.quota.QuotaLimits;
import io.aegis.gateway.quota.RedisQuotaStore;
import io.aegis.gateway.quota.spi.QuotaStore;
import io.aegis.gateway.ratelimit.FailureMode;
import io.aegis.gateway.ratelimit.LimitSet;
import io.aegis.gateway.ratelimit.LocalRateLimiter;
import io.aegis.gateway.ratelimit.RateLimitResult;
import io.aegis.gateway.ratelimit.RedisRateLimiter;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import io.aegis.gateway.redis.RedisSettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Distributed decisions against a real Redis ({@code -Daegis.bench.redis=redis://host:port},
 * default the local one): a rate-limit check (Bucket4j compare-and-swap over Lettuce) and a quota
 * check (one EVALSHA), as latency percentiles ({@code SampleTime}: p50, p99) and as throughput
 * with 4 threads, beside the local bucket. Keys are unique per run and expire by themselves.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RedisRateLimitBenchmark {

    @Param({"local", "redis"})
    public String backend;

    private RateLimiterBackend limiter;
    private QuotaStore quotas;
    private final LimitSet limits = LimitSet.parse("1000000000/1s,1000000000000/1h");
    private final QuotaLimits quotaLimits = QuotaLimits.of(1_000_000_000L, 0);
    private QuotaCalendar.Periods periods;
    private String ns;

    @Setup(Level.Trial)
    public void setup() throws InterruptedException {
        ns = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        periods = new QuotaCalendar(ZoneOffset.UTC).at(Instant.now());
        if (backend.equals("local")) {
            limiter = new LocalRateLimiter();
            quotas = new InMemoryQuotaStore();
            return;
        }
        RedisSettings s = RedisSettings.builder().uri(System.getProperty("aegis.bench.redis", "redis://127.0.0.1:6379"))
                .commandTimeout(Duration.ofSeconds(1)).build();
        RedisRateLimiter r = RedisRateLimiter.builder(s).failureMode(FailureMode.FAIL_CLOSED).build();
        RedisQuotaStore q = new RedisQuotaStore(s, ns, FailureMode.FAIL_CLOSED, new InMemoryQuotaStore());
        quotas = q;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!r.available() || !q.available()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Redis at " + s.safeUri() + " is not available");
            }
            Thread.sleep(10);
        }
        limiter = r;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        limiter.close();
        quotas.close();
    }

    /** Latency of one rate-limit decision on one key (p50/p99 in the SampleTime output). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public RateLimitResult checkLatency() {
        return limiter.tryConsume(ns + "|default|u:bench", limits, 1);
    }

    /** Decisions per second with 4 threads on 64 keys. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Threads(4)
    public RateLimitResult checkThroughput(ThreadKeys k) {
        return limiter.tryConsume(k.next(ns), limits, 1);
    }

    /** Latency of one quota decision (in memory, or one EVALSHA in Redis). */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public QuotaCounts quotaLatency() {
        return quotas.consume("t:bench", quotaLimits, periods, 1, List.of(80, 100));
    }

    /** Per-thread key rotation. */
    @State(Scope.Thread)
    public static class ThreadKeys {
        private int i = (int) (Thread.currentThread().getId() * 16);

        String next(String ns) {
            i = (i + 1) & 63;
            return ns + "|default|u:user-" + i;
        }
    }
}
