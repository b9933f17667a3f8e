package io.aegis.gateway.benchmarks;

import io.aegis.gateway.ratelimit.LimitSet;
import io.aegis.gateway.ratelimit.LocalRateLimiter;
import io.aegis.gateway.ratelimit.RateLimitResult;
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
import org.openjdk.jmh.annotations.Warmup;

/** One local rate-limit decision (bucket lookup and consumption, per-limit state). Budget ≤ 300 ns. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimitBenchmark {

    private LocalRateLimiter limiter;
    private final LimitSet one = LimitSet.parse("1000000000/1s");
    private final LimitSet two = LimitSet.parse("1000000000/1s,1000000000000/1h");
    private final String[] keys = new String[1024];
    private int i;

    @Setup
    public void setup() {
        limiter = new LocalRateLimiter();
        for (int k = 0; k < keys.length; k++) {
            keys[k] = "svc:dev|default|u:user-" + k;
        }
    }

    /** The same key every time, one bandwidth. */
    @Benchmark
    public RateLimitResult oneKeyOneLimit() {
        return limiter.tryConsume(keys[0], one, 1);
    }

    /** 1,024 keys in turn, two bandwidths (burst and hourly). */
    @Benchmark
    public RateLimitResult manyKeysTwoLimits() {
        i = (i + 1) & 1023;
        return limiter.tryConsume(keys[i], two, 1);
    }
}
