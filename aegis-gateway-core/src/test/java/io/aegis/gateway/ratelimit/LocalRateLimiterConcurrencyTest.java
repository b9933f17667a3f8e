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
}
