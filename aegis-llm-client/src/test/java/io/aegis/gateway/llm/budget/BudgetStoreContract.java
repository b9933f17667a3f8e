package io.aegis.gateway.llm.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What every budget store must do; run against the in-memory store and the real Redis. */
abstract class BudgetStoreContract {

    static final Instant NOW = Instant.parse("2026-11-26T23:59:00Z");

    abstract BudgetStore store();

    abstract String key(String name);

    @Test
    void reserveSettleAndRefund() {
        BudgetStore s = store();
        String k = key("tenant-a");
        BudgetLimits limits = new BudgetLimits(10_000, 50_000);

        Reservation r = s.reserve(k, 4_000, limits, NOW);
        assertThat(s.spentToday(k, NOW)).isEqualTo(4_000);
        s.settle(r, 1_500);
        assertThat(s.spentToday(k, NOW)).isEqualTo(1_500);
        assertThat(s.spentThisMonth(k, NOW)).isEqualTo(1_500);
        Reservation r2 = s.reserve(k, 8_000, limits, NOW);
        s.refund(r2);
        assertThat(s.spentToday(k, NOW)).isEqualTo(1_500);
    }

    @Test
    void aReservationThatWouldPassTheLimitIsRefusedWhole() {
        BudgetStore s = store();
        String k = key("tenant-b");
        BudgetLimits limits = new BudgetLimits(10_000, 12_000);
        s.reserve(k, 9_000, limits, NOW);

        assertThatThrownBy(() -> s.reserve(k, 2_000, limits, NOW)).isInstanceOfSatisfying(BudgetExceededException.class, e -> {
            assertThat(e.window()).isEqualTo("d:2026-11-26");
            assertThat(e.spentNanos()).isEqualTo(9_000);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(1));
        });
        // Nothing was taken from the month either.
        assertThat(s.spentThisMonth(k, NOW)).isEqualTo(9_000);
    }

    @Test
    void theMonthlyLimitHoldsAcrossDays() {
        BudgetStore s = store();
        String k = key("tenant-c");
        BudgetLimits limits = new BudgetLimits(10_000, 15_000);
        s.reserve(k, 9_000, limits, NOW);
        Instant tomorrow = NOW.plus(Duration.ofMinutes(2));

        assertThat(s.spentToday(k, tomorrow)).isZero();
        assertThatThrownBy(() -> s.reserve(k, 9_000, limits, tomorrow)).isInstanceOfSatisfying(BudgetExceededException.class,
                e -> assertThat(e.window()).isEqualTo("m:2026-11"));
        Reservation ok = s.reserve(k, 6_000, limits, tomorrow);
        assertThat(ok.windows()).containsExactly("d:2026-11-27", "m:2026-11");
    }

    @Test
    void aCallSettlesAgainstTheDayItStartedIn() {
        BudgetStore s = store();
        String k = key("tenant-d");
        BudgetLimits limits = new BudgetLimits(10_000, -1);
        Reservation r = s.reserve(k, 5_000, limits, NOW);
        s.settle(r, 2_000);
        assertThat(s.spentToday(k, NOW)).isEqualTo(2_000);
        assertThat(s.spentToday(k, NOW.plus(Duration.ofHours(1)))).isZero();
    }

    @Test
    void concurrentReservationsNeverOverrunTheLimit() throws Exception {
        BudgetStore s = store();
        String k = key("tenant-race");
        BudgetLimits limits = new BudgetLimits(100_000, 250_000);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 25; i++) {
                        try {
                            s.reserve(k, 1_000, limits, NOW);
                            granted.incrementAndGet();
                        } catch (BudgetExceededException e) {
                            refused.incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(granted.get()).isEqualTo(100);
        assertThat(refused.get()).isEqualTo(300);
        assertThat(s.spentToday(k, NOW)).isEqualTo(100_000);
    }

    @Test
    void concurrentReserveAndSettleKeepsExactAccounts() throws Exception {
        BudgetStore s = store();
        String k = key("tenant-settle");
        BudgetLimits limits = new BudgetLimits(500_000, -1);
        AtomicLong settled = new AtomicLong();
        AtomicLong maxSeen = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int t = 0; t < 12; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 40; i++) {
                        Reservation r;
                        try {
                            r = s.reserve(k, 5_000, limits, NOW);
                        } catch (BudgetExceededException e) {
                            continue;
                        }
                        maxSeen.accumulateAndGet(s.spentToday(k, NOW), Math::max);
                        if (ThreadLocalRandom.current().nextInt(4) == 0) {
                            s.refund(r);
                        } else {
                            long actual = ThreadLocalRandom.current().nextLong(0, 5_001);
                            s.settle(r, actual);
                            settled.addAndGet(actual);
                        }
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(maxSeen.get()).isLessThanOrEqualTo(500_000);
        assertThat(s.spentToday(k, NOW)).isEqualTo(settled.get());
    }
}
