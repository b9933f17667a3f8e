package io.aegis.gateway.quota;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.quota.spi.QuotaStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Quota counts in this process: the store of the local backend, and the fallback of the Redis
 * store while it fails open. Counts are per replica. At most 100,000 callers are tracked (least
 * recently seen dropped first; a caller idle for 32 days has nothing left to count anyway).
 * Thread-safe.
 */
public final class InMemoryQuotaStore implements QuotaStore {

    private final Cache<String, Counter> counters = Caches.builder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofDays(32)).build();
    private final ConcurrentHashMap<String, QuotaLimits> overrides = new ConcurrentHashMap<>();

    @Override
    public QuotaCounts consume(String caller, QuotaLimits defaults, QuotaCalendar.Periods periods, long cost,
                               List<Integer> thresholds) {
        QuotaLimits limits = overrides.getOrDefault(caller, defaults);
        Counter c = counters.get(caller, k -> new Counter());
        synchronized (c) {
            if (!periods.day().equals(c.day)) {
                c.day = periods.day();
                c.dayUsed = 0;
                c.fired.removeIf(f -> f.startsWith("d"));
            }
            if (!periods.month().equals(c.month)) {
                c.month = periods.month();
                c.monthUsed = 0;
                c.fired.removeIf(f -> f.startsWith("m"));
            }
            boolean ok = fits(limits.daily(), c.dayUsed, cost) && fits(limits.monthly(), c.monthUsed, cost);
            if (ok) {
                c.dayUsed += cost;
                c.monthUsed += cost;
            }
            List<QuotaCounts.Crossing> crossed = new ArrayList<>();
            for (int t : thresholds) {
                if (limits.daily() > 0 && c.dayUsed * 100 >= limits.daily() * t && c.fired.add("d" + t)) {
                    crossed.add(new QuotaCounts.Crossing(QuotaPeriod.DAY, t));
                }
                if (limits.monthly() > 0 && c.monthUsed * 100 >= limits.monthly() * t && c.fired.add("m" + t)) {
                    crossed.add(new QuotaCounts.Crossing(QuotaPeriod.MONTH, t));
                }
            }
            return new QuotaCounts(ok, limits, c.dayUsed, c.monthUsed, crossed);
        }
    }

    private static boolean fits(long limit, long used, long cost) {
        return limit == 0 || used + cost <= limit;
    }

    @Override
    public QuotaLimits override(String caller) {
        return overrides.get(caller);
    }

    @Override
    public void setOverride(String caller, QuotaLimits limits) {
        overrides.put(caller, limits);
    }

    @Override
    public void removeOverride(String caller) {
        overrides.remove(caller);
    }

    @Override
    public Map<String, QuotaLimits> overrides() {
        return new TreeMap<>(overrides);
    }

    private static final class Counter {
        String day;
        String month;
        long dayUsed;
        long monthUsed;
        final Set<String> fired = new HashSet<>();
    }
}
