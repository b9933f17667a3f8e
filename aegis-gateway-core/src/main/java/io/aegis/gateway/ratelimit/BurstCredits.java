package io.aegis.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.internal.Caches;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The burst credit of each client (see {@link BurstCreditSettings}): earned by clean history,
 * spent when a rate limit is exhausted, lost by misbehaviour. Accounts are kept per process
 * (at most 100,000, dropped after an hour without requests): with several replicas a client's
 * credit is per replica, still bounded by {@code max} on each.
 *
 * <p>Thread-safe; outlives configuration reloads ({@link #configure}).
 */
public final class BurstCredits {

    private final Clock clock;
    private final Cache<String, Account> accounts = Caches.builder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofHours(1)).build();
    private volatile BurstCreditSettings settings = BurstCreditSettings.defaults();

    public BurstCredits(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void configure(BurstCreditSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public BurstCreditSettings settings() {
        return settings;
    }

    /** Spends one request of credit when the client has some. */
    public boolean trySpend(String caller) {
        if (!settings.enabled()) {
            return false;
        }
        Account a = accounts.getIfPresent(caller);
        if (a == null) {
            return false;
        }
        synchronized (a) {
            if (a.credit >= 1) {
                a.credit--;
                return true;
            }
            return false;
        }
    }

    /** Records the outcome of one of the client's requests. */
    public void record(String caller, int status) {
        BurstCreditSettings s = settings;
        if (!s.enabled()) {
            return;
        }
        Account a = accounts.get(caller, k -> new Account());
        long now = clock.millis();
        synchronized (a) {
            if (status >= 400 && status < 500 && status != 429) {
                if (now - a.windowStart >= s.errorWindow().toMillis()) {
                    a.windowStart = now;
                    a.errors = 0;
                }
                a.errors++;
                a.clean = 0;
                if (a.errors >= s.errorBurst()) {
                    a.penalize(now, s);
                }
            } else if (status < 400) {
                if (now < a.penaltyUntil) {
                    return;
                }
                if (++a.clean >= s.earnEvery()) {
                    a.clean = 0;
                    a.credit = Math.min(s.max(), a.credit + 1);
                }
            }
        }
    }

    /** The client misbehaved (e.g. a threat detection hit): its credit is gone and it earns none for the penalty. */
    public void penalize(String caller) {
        BurstCreditSettings s = settings;
        if (!s.enabled()) {
            return;
        }
        Account a = accounts.get(caller, k -> new Account());
        synchronized (a) {
            a.penalize(clock.millis(), s);
        }
    }

    /** The client's credit now (requests). */
    public int credit(String caller) {
        Account a = accounts.getIfPresent(caller);
        if (a == null) {
            return 0;
        }
        synchronized (a) {
            return a.credit;
        }
    }

    private static final class Account {
        int credit;
        int clean;
        int errors;
        long windowStart;
        long penaltyUntil;

        void penalize(long now, BurstCreditSettings s) {
            credit = 0;
            clean = 0;
            errors = 0;
            penaltyUntil = now + s.penalty().toMillis();
        }
    }
}
