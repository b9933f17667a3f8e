package io.aegis.gateway.llm.cache;

import io.aegis.gateway.llm.LlmResponse;
import java.time.Duration;
import java.util.Optional;

/** Stores answers under a key computed by {@link CacheKey}. Implementations are thread-safe and never throw on a backend failure (a miss). */
public interface ResponseCache extends AutoCloseable {

    Optional<LlmResponse> get(String key);

    void put(String key, LlmResponse response, Duration ttl);

    @Override
    default void close() {
    }
}
