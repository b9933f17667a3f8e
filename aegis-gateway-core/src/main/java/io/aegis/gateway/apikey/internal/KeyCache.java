package io.aegis.gateway.apikey.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Ticker;
import io.aegis.gateway.apikey.spi.StoredApiKey;
import io.aegis.gateway.internal.Caches;
import java.time.Clock;
import java.time.Duration;

/**
 * Looked-up keys by secret hash (hex), for a short TTL (the revocation bound), and hashes known
 * to be unknown (negative cache). Entries can be dropped by key id (revocation, rotation) or all
 * negative entries at once (a key was created). Thread-safe.
 *
 * @param <V> what is kept per key (the stored key and its principal)
 */
public final class KeyCache<V> {

    private final Cache<String, Entry<V>> positive;
    private final Cache<String, Boolean> negative;

    /** A cached key: its id (for invalidation), the stored key, and what the caller derived from it. */
    public record Entry<V>(String id, StoredApiKey stored, V value) {
    }

    public KeyCache(Duration ttl, int maxEntries, Duration negativeTtl, Clock clock) {
        Ticker ticker = () -> clock.millis() * 1_000_000L;
        this.positive = Caches.builder().maximumSize(maxEntries).expireAfterWrite(ttl).ticker(ticker).build();
        this.negative = Caches.builder().maximumSize(Math.max(1, maxEntries)).expireAfterWrite(negativeTtl)
                .ticker(ticker).build();
    }

    public Entry<V> get(String hashHex) {
        return positive.getIfPresent(hashHex);
    }

    public boolean knownUnknown(String hashHex) {
        return negative.getIfPresent(hashHex) != null;
    }

    public void put(String hashHex, Entry<V> entry) {
        positive.put(hashHex, entry);
    }

    public void putUnknown(String hashHex) {
        negative.put(hashHex, Boolean.TRUE);
    }

    /** Drops every cached entry of this key id. */
    public void invalidateId(String id) {
        positive.asMap().values().removeIf(e -> e.id().equals(id));
    }

    /** Forgets every hash remembered as unknown. */
    public void invalidateUnknown() {
        negative.invalidateAll();
    }

    public void invalidateAll() {
        positive.invalidateAll();
        negative.invalidateAll();
    }

    public long size() {
        return positive.estimatedSize();
    }
}
