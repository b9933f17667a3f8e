package io.aegis.gateway.llm.budget;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Budgets in this process (each replica counts alone). One lock serialises reservations, which
 * keeps check-and-hold atomic; windows of past days and months are dropped as new ones start.
 * Thread-safe.
 */
public final class InMemoryBudgetStore implements BudgetStore {

    private final Map<String, Long> spent = new HashMap<>();
    private String currentDay = "";

    @Override
    public synchronized Reservation reserve(String key, long amountNanos, BudgetLimits limits, Instant now) {
        Objects.requireNonNull(key, "key");
        if (amountNanos < 0) {
            throw new IllegalArgumentException("amount: " + amountNanos + " (expected: >= 0)");
        }
        String day = BudgetStore.dayWindow(now);
        String month = BudgetStore.monthWindow(now);
        purge(day, month);
        List<String> windows = new ArrayList<>(2);
        if (limits.dailyNanos() >= 0) {
            check(key, day, limits.dailyNanos(), amountNanos, now);
            windows.add(day);
        }
        if (limits.monthlyNanos() >= 0) {
            check(key, month, limits.monthlyNanos(), amountNanos, now);
            windows.add(month);
        }
        for (String w : windows) {
            spent.merge(key + "|" + w, amountNanos, Long::sum);
        }
        return new Reservation(key, amountNanos, windows);
    }

    private void check(String key, String window, long limit, long amount, Instant now) {
        long s = spent.getOrDefault(key + "|" + window, 0L);
        if (s + amount > limit) {
            throw new BudgetExceededException(key, window, limit, s, amount, Windows.untilEnd(window, now));
        }
    }

    private void purge(String day, String month) {
        if (day.equals(currentDay)) {
            return;
        }
        currentDay = day;
        spent.keySet().removeIf(k -> !(k.endsWith("|" + day) || k.endsWith("|" + month)));
    }

    @Override
    public synchronized void settle(Reservation r, long actualNanos) {
        long delta = actualNanos - r.amountNanos();
        for (String w : r.windows()) {
            spent.computeIfPresent(r.key() + "|" + w, (k, v) -> v + delta);
        }
    }

    @Override
    public synchronized long spentToday(String key, Instant now) {
        return spent.getOrDefault(key + "|" + BudgetStore.dayWindow(now), 0L);
    }

    @Override
    public synchronized long spentThisMonth(String key, Instant now) {
        return spent.getOrDefault(key + "|" + BudgetStore.monthWindow(now), 0L);
    }
}
