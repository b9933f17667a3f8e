package io.aegis.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.ratelimit.FailureMode;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.testing.LocalRedis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Quota counts in the real local Redis, shared by two stores (two replicas). */
class RedisQuotaStoreIT {

    @BeforeAll
    static void redis() {
        LocalRedis.require();
    }

    static RedisQuotaStore store(String ns, Duration timeout) throws InterruptedException {
        RedisQuotaStore s = new RedisQuotaStore(RedisSettings.builder().uri(LocalRedis.URI).commandTimeout(timeout).build(),
                ns, FailureMode.FAIL_CLOSED, new InMemoryQuotaStore());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!s.available()) {
            assertThat(System.nanoTime()).as("Redis available").isLessThan(deadline);
            Thread.sleep(10);
        }
        return s;
    }

    @Test
    void twoReplicasCountOneBudgetAndFireEachAlertOnce() throws Exception {
        String ns = LocalRedis.uniqueNamespace("quota");
        QuotaCalendar.Periods periods = new QuotaCalendar(ZoneOffset.UTC).at(Clock.systemUTC().instant());
        try (RedisQuotaStore one = store(ns, Duration.ofSeconds(5)); RedisQuotaStore two = store(ns, Duration.ofMillis(4999))) {
            QuotaLimits limits = QuotaLimits.of(100, 1000);
            AtomicInteger allowed = new AtomicInteger();
            List<QuotaCounts.Crossing> crossings = java.util.Collections.synchronizedList(new ArrayList<>());
            ExecutorService pool = Executors.newFixedThreadPool(12);
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                RedisQuotaStore s = t % 2 == 0 ? one : two;
                fs.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 12; i++) {
                        QuotaCounts c = s.consume("t:acme", limits, periods, 1, List.of(50, 80, 100));
                        if (c.allowed()) {
                            allowed.incrementAndGet();
                        }
                        crossings.addAll(c.crossed());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(allowed.get()).isEqualTo(100);
            assertThat(crossings).containsExactlyInAnyOrder(new QuotaCounts.Crossing(QuotaPeriod.DAY, 50),
                    new QuotaCounts.Crossing(QuotaPeriod.DAY, 80), new QuotaCounts.Crossing(QuotaPeriod.DAY, 100));
            QuotaCounts peek = one.consume("t:acme", limits, periods, 0, List.of());
            assertThat(peek.dayUsed()).isEqualTo(100);
            assertThat(peek.monthUsed()).isEqualTo(100);

            // Counters and alert markers expire when their period ends.
            String day = "aegis:q:{" + ns + "|t:acme}:d:" + periods.day();
            long ttl = Long.parseLong(LocalRedis.command(6379, "PTTL", day).substring(1));
            long toMidnight = Duration.between(Instant.now(), periods.dayEnd()).toMillis();
            assertThat(ttl).isBetween(toMidnight - 5_000, toMidnight + 5_000);
            assertThat(LocalRedis.command(6379, "PTTL", day + ":a80")).isNotEqualTo(":-1");
            LocalRedis.command(6379, "DEL", day, day + ":a50", day + ":a80", day + ":a100",
                    "aegis:q:{" + ns + "|t:acme}:m:" + periods.month());
        }
    }

    @Test
    void overridesAreSharedAndChangeable() throws Exception {
        String ns = LocalRedis.uniqueNamespace("override");
        QuotaCalendar.Periods periods = new QuotaCalendar(ZoneOffset.UTC).at(Clock.systemUTC().instant());
        try (RedisQuotaStore one = store(ns, Duration.ofSeconds(2)); RedisQuotaStore two = store(ns, Duration.ofMillis(1999))) {
            QuotaLimits tier = QuotaLimits.of(1, 0);
            assertThat(one.consume("k:partner", tier, periods, 1, List.of()).allowed()).isTrue();
            assertThat(two.consume("k:partner", tier, periods, 1, List.of()).allowed()).isFalse();
            one.setOverride("k:partner", QuotaLimits.of(3, 0));
            assertThat(two.override("k:partner")).isEqualTo(QuotaLimits.of(3, 0));
            QuotaCounts c = two.consume("k:partner", tier, periods, 1, List.of());
            assertThat(c.allowed()).isTrue();
            assertThat(c.limits()).isEqualTo(QuotaLimits.of(3, 0));
            assertThat(one.overrides()).containsOnlyKeys("k:partner");
            two.removeOverride("k:partner");
            assertThat(one.consume("k:partner", tier, periods, 1, List.of()).allowed()).isFalse();
            assertThat(one.overrides()).isEmpty();
            String p = "aegis:q:{" + ns + "|k:partner}";
            LocalRedis.command(6379, "DEL", p + ":d:" + periods.day(), p + ":m:" + periods.month());
        }
    }
}
