package io.aegis.gateway.apikey.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.aegis.gateway.internal.Caches;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Counts failed API keys per client address in fixed windows and blocks an address that reaches
 * the limit for a while. Bounded: at most 100,000 addresses are tracked (idle ones are evicted).
 * Thread-safe.
 */
public final class AbuseGuard {

    /** Reported once when an address becomes blocked. */
    public record Blocked(String client, int failures, Duration window, long blockedUntilMillis) {
    }

    private final int maxFailures;
    private final long windowMillis;
    private final long blockMillis;
    private final Clock clock;
    private final Cache<String, Counter> counters;
    private final Consumer<Blocked> onBlock;

    public AbuseGuard(int maxFailures, Duration window, Duration blockFor, Clock clock, Consumer<Blocked> onBlock) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.blockMillis = blockFor.toMillis();
        this.clock = clock;
        this.onBlock = onBlock;
        Ticker ticker = () -> clock.millis() * 1_000_000L;
        this.counters = Caches.builder()
                .maximumSize(100_000)
                .expireAfterAccess(Duration.ofMillis(Math.max(windowMillis, blockMillis)))
                .ticker(ticker)
                .build();
    }

    /** {@code true} when blocking is on. */
    public boolean enabled() {
        return maxFailures > 0;
    }

    /** Milliseconds until the address may present keys again, or 0 when it is not blocked. */
    public long blockedFor(String client) {
        if (!enabled()) {
            return 0;
        }
        Counter c = counters.getIfPresent(client);
        if (c == null) {
            return 0;
        }
        long now = clock.millis();
        synchronized (c) {
            return c.blockedUntil > now ? c.blockedUntil - now : 0;
        }
    }

    /** Counts a failed key from the address; may block it. */
    public void failed(String client) {
        if (!enabled()) {
            return;
        }
        Counter c = counters.get(client, k -> new Counter());
        long now = clock.millis();
        Blocked blocked = null;
        synchronized (c) {
            if (c.blockedUntil > now) {
                return;
            }
            if (now - c.windowStart >= windowMillis) {
                c.windowStart = now;
                c.failures = 0;
            }
            c.failures++;
            if (c.failures >= maxFailures) {
                c.blockedUntil = now + blockMillis;
                blocked = new Blocked(client, c.failures, Duration.ofMillis(windowMillis), c.blockedUntil);
                c.failures = 0;
                c.windowStart = c.blockedUntil;
            }
        }
        if (blocked != null) {
            onBlock.accept(blocked);
        }
    }

    /** Forgets an address (an operator lifted the block). */
    public void reset(String client) {
        counters.invalidate(client);
    }

    private static final class Counter {
        long windowStart;
        int failures;
        long blockedUntil;
    }
}
