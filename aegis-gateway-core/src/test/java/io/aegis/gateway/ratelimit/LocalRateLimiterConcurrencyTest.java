package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.RepeatedTest;

/** Many threads on one key: the bucket admits exactly its capacity (the clock stands still, nothing refills). */
class LocalRateLimiterConcurrencyTest {

    @RepeatedTest(5)
    void threadsHammeringOneKeyAdmitExactlyTheLimit() throws Exception {
        LocalRateLimiter limiter = new LocalRateLimiter(1000, () -> 42L);
        LimitSet limits = LimitSet.parse("1000/1h,1500/1d");
        int threads = 8;
        int attemptsPerThread = 400;
        AtomicInteger admitted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < attemptsPerThread; i++) {
                        RateLimitResult r = limiter.tryConsume("hot", limits, 1);
                        (r.allowed() ? admitted : refused).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(admitted.get()).isEqualTo(1000);
        assertThat(refused.get()).isEqualTo(threads * attemptsPerThread - 1000);
        RateLimitResult after = limiter.tryConsume("hot", limits, 1);
        assertThat(after.remaining(0)).isZero();
        assertThat(after.remaining(1)).isEqualTo(500);
    }

    @RepeatedTest(3)
    void limitsChangingUnderConcurrentCallersNeverBreakAResult() throws Exception {
        // A reload in flight, or a caller whose tier just changed: one key, two shapes of limits.
        AtomicLong nanos = new AtomicLong();
        LocalRateLimiter limiter = new LocalRateLimiter(1000, nanos::get);
        LimitSet one = LimitSet.parse("1000000/1h");
        LimitSet three = LimitSet.parse("10/1s,1000/1m,1000000/1h");
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                LimitSet mine = t % 2 == 0 ? one : three;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        nanos.addAndGet(1_000_000);
                        RateLimitResult r = limiter.tryConsume("switching", mine, 1);
                        assertThat(r.limits()).isSameAs(mine);
                        for (int b = 0; b < mine.limits().size(); b++) {
                            assertThat(r.remaining(b)).isBetween(0L, mine.limits().get(b).count());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
