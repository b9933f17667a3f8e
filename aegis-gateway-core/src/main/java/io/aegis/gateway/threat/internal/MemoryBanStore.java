package io.aegis.gateway.threat.internal;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.threat.spi.Ban;
import io.aegis.gateway.threat.spi.BanStore;
import java.time.Duration;
import java.time.Instant;

/** Bans of this replica, bounded (the oldest offenders are forgotten first). */
public final class MemoryBanStore implements BanStore {

    private final Cache<String, Record> records;

    public MemoryBanStore(int maxClients) {
        this.records = Caches.builder().maximumSize(maxClients).build();
    }

    private record Record(Ban ban, int offenses, Instant forgetAt) {
    }

    @Override
    public Ban active(String client, Instant now) {
        Record r = records.getIfPresent(client);
        return r != null && r.ban != null && r.ban.activeAt(now) ? r.ban : null;
    }

    @Override
    public Ban ban(String client, String reason, Instant now, Duration base, double escalation, Duration max,
                   Duration memory) {
        Record r = records.asMap().compute(client, (k, old) -> {
            int offenses = old == null || !now.isBefore(old.forgetAt) ? 1 : old.offenses + 1;
            Duration ttl = BanMath.length(base, escalation, max, offenses);
            Ban b = new Ban(client, now.plus(ttl), offenses, reason);
            Instant forget = now.plus(memory).isAfter(b.until()) ? now.plus(memory) : b.until();
            return new Record(b, offenses, forget);
        });
        return r.ban;
    }

    @Override
    public void unban(String client) {
        records.asMap().computeIfPresent(client, (k, r) -> new Record(null, r.offenses, r.forgetAt));
    }
}
