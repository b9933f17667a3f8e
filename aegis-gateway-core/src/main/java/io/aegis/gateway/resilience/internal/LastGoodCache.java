package io.aegis.gateway.resilience.internal;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.internal.Caches;

/**
 * The last good (2xx) response per request key, bounded, for the {@code last-good} fallback.
 *
 * @param <V> the response type
 */
public final class LastGoodCache<V> {

    private final Cache<String, V> cache;

    public LastGoodCache(int maxEntries) {
        this.cache = Caches.builder().maximumSize(maxEntries).build();
    }

    public void put(String key, V value) {
        cache.put(key, value);
    }

    /** The last good value, or {@code null}. */
    public V get(String key) {
        return cache.getIfPresent(key);
    }

    public long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }
}
