package io.aegis.gateway.threat.internal;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.threat.spi.Ban;
import io.aegis.gateway.threat.spi.BanStore;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bans shared by every replica through Redis. A ban is a key {@code <prefix>ban:<client>} holding
 * {@code until-millis|level|reason} that expires with the ban; offenses are a counter
 * {@code <prefix>offenses:<client>} that expires after the offense memory. Lookups are cached for
 * {@code lookupCache} (default 1s), so a replica asks Redis at most once a second per client.
 *
 * <p>Fail-open: when Redis cannot be reached within the timeout, the replica's own bans (kept in
 * memory beside Redis) still apply, and a warning is logged at most once a minute.
 */
public final class RedisBanStore implements BanStore {

    private static final System.Logger LOG = System.getLogger(RedisBanStore.class.getName());

    private final RedisClient client;
    private final String prefix;
    private final MemoryBanStore local = new MemoryBanStore(100_000);
    private final Cache<String, Ban[]> lookups;
    private final AtomicLong lastWarning = new AtomicLong();
    private volatile StatefulRedisConnection<String, String> connection;

    /**
     * @param uri e.g. {@code redis://127.0.0.1:6379}
     * @param prefix key prefix, e.g. {@code aegis:user-service:prod:}
     */
    public RedisBanStore(String uri, String prefix, Duration timeout, Duration lookupCache) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(timeout);
        this.client = RedisClient.create(u);
        this.prefix = prefix;
        this.lookups = Caches.builder().maximumSize(100_000).expireAfterWrite(lookupCache).build();
    }

    private RedisCommands<String, String> redis() {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null || !c.isOpen()) {
            synchronized (this) {
                c = connection;
                if (c == null || !c.isOpen()) {
                    c = client.connect();
                    connection = c;
                }
            }
        }
        return c.sync();
    }

    @Override
    public Ban active(String clientAddress, Instant now) {
        Ban own = local.active(clientAddress, now);
        if (own != null) {
            return own;
        }
        Ban[] cached = lookups.getIfPresent(clientAddress);
        if (cached != null) {
            return cached[0] != null && cached[0].activeAt(now) ? cached[0] : null;
        }
        Ban found = null;
        try {
            String v = redis().get(prefix + "ban:" + clientAddress);
            found = v == null ? null : parse(clientAddress, v);
        } catch (RuntimeException e) {
            warn(e);
            return null;
        }
        lookups.put(clientAddress, new Ban[] {found});
        return found != null && found.activeAt(now) ? found : null;
    }

    @Override
    public Ban ban(String clientAddress, String reason, Instant now, Duration base, double escalation, Duration max,
                   Duration memory) {
        Ban ban;
        try {
            RedisCommands<String, String> r = redis();
            String offensesKey = prefix + "offenses:" + clientAddress;
            long offenses = r.incr(offensesKey);
            r.pexpire(offensesKey, Math.max(memory.toMillis(), max.toMillis()));
            Duration ttl = BanMath.length(base, escalation, max, (int) Math.min(offenses, 64));
            ban = new Ban(clientAddress, now.plus(ttl), (int) offenses, reason);
            r.set(prefix + "ban:" + clientAddress, ban.until().toEpochMilli() + "|" + ban.level() + "|" + reason,
                    SetArgs.Builder.px(Math.max(1, ttl.toMillis())));
            local.ban(clientAddress, reason, now, ttl, 1.0, ttl, memory);
        } catch (RuntimeException e) {
            warn(e);
            ban = local.ban(clientAddress, reason, now, base, escalation, max, memory);
        }
        lookups.put(clientAddress, new Ban[] {ban});
        return ban;
    }

    @Override
    public void unban(String clientAddress) {
        local.unban(clientAddress);
        lookups.invalidate(clientAddress);
        try {
            redis().del(prefix + "ban:" + clientAddress);
        } catch (RuntimeException e) {
            warn(e);
        }
    }

    private static Ban parse(String client, String v) {
        String[] p = v.split("\\|", 3);
        try {
            return new Ban(client, Instant.ofEpochMilli(Long.parseLong(p[0])), Integer.parseInt(p[1]),
                    p.length > 2 ? p[2] : "unknown");
        } catch (RuntimeException e) {
            return null; // a foreign or damaged value is no ban
        }
    }

    private void warn(RuntimeException e) {
        long now = System.currentTimeMillis();
        long last = lastWarning.get();
        if (now - last > 60_000 && lastWarning.compareAndSet(last, now)) {
            LOG.log(System.Logger.Level.WARNING, "Redis ban store unavailable (" + e.getClass().getSimpleName() + ": "
                    + e.getMessage() + "); this replica's own bans still apply");
        }
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
