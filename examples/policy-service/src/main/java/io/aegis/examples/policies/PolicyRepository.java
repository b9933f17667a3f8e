package io.aegis.examples.policies;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** In-memory policies, seeded for the users of the user-service demo. Thread-safe. */
public final class PolicyRepository {

    private final Map<String, Policy> byId = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger(2001);

    public static PolicyRepository seeded() {
        PolicyRepository r = new PolicyRepository();
        Instant t = Instant.parse("2025-03-01T09:00:00Z");
        r.add("u-1001", "auto", "Comprehensive car cover", "25000", "48.50", "GBP", t);
        r.add("u-1001", "home", "Home and contents", "350000", "31.20", "GBP", t.plusSeconds(3600));
        r.add("u-1002", "health", "Family health plan", "1000000", "212.00", "USD", t.plusSeconds(7200));
        r.add("u-1003", "auto", "자동차 종합보험", "50000000", "85000", "KRW", t.plusSeconds(10_800));
        r.add("u-1003", "travel", "해외여행자 보험", "30000000", "12000", "KRW", t.plusSeconds(14_400));
        r.add("u-1005", "life", "Term life, 20 years", "300000", "27.90", "EUR", t.plusSeconds(18_000));
        r.add("u-1007", "home", "Seguro de hogar", "180000", "22.40", "EUR", t.plusSeconds(21_600));
        r.add("u-1009", "health", "Health shield", "500000", "1450", "INR", t.plusSeconds(25_200));
        return r;
    }

    private Policy add(String owner, String product, String title, String coverage, String premium, String currency,
                       Instant at) {
        Policy p = new Policy("p-" + next.getAndIncrement(), owner, product, title, new BigDecimal(coverage),
                new BigDecimal(premium), currency, at);
        byId.put(p.id(), p);
        return p;
    }

    public Optional<Policy> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The policies of an owner, oldest first, at most {@code limit}. */
    public List<Policy> byOwner(String owner, int limit) {
        List<Policy> out = new ArrayList<>();
        for (Policy p : byId.values()) {
            if (p.owner().equals(owner)) {
                out.add(p);
            }
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Stores a new policy. */
    public Policy create(String owner, String product, String title, BigDecimal coverage, BigDecimal premium,
                         String currency) {
        return add(owner, product, title, coverage.toPlainString(), premium.toPlainString(), currency, Instant.now());
    }
}
