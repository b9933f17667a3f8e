package io.aegis.gateway.llm.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Ticker;
import io.aegis.gateway.llm.LlmResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/** Answers in this process, bounded by count, each expiring after its TTL. Thread-safe. */
public final class LocalResponseCache implements ResponseCache {

    private record Entry(LlmResponse response, long ttlNanos) {
    }

    private final Cache<String, Entry> cache;

    /** A cache of at most {@code maxEntries} answers on the system clock. */
    public LocalResponseCache(long maxEntries) {
        this(maxEntries, System::nanoTime);
    }

    /** A cache on an injected nano-time source (tests). */
    public LocalResponseCache(long maxEntries, LongSupplier nanoTime) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max-entries: " + maxEntries + " (expected: >= 1)");
        }
        Ticker ticker = nanoTime::getAsLong;
        this.cache = Caffeine.newBuilder().maximumSize(maxEntries).ticker(ticker)
                .expireAfter(new Expiry<String, Entry>() {
                    @Override
                    public long expireAfterCreate(String key, Entry value, long currentTime) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterUpdate(String key, Entry value, long currentTime, long currentDuration) {
                        return value.ttlNanos();
                    }

                    @Override
                    public long expireAfterRead(String key, Entry value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                }).build();
    }

    @Override
    public Optional<LlmResponse> get(String key) {
        Entry e = cache.getIfPresent(key);
        return e == null ? Optional.empty() : Optional.of(e.response());
    }

    @Override
    public void put(String key, LlmResponse response, Duration ttl) {
        cache.put(key, new Entry(response, ttl.toNanos()));
    }

    /** Entries currently held (approximate). */
    public long size() {
        return cache.estimatedSize();
    }
}
