package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.llm.cache.RedisResponseCache;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis budget store and response cache wired from configuration, against the real Redis on
 * 127.0.0.1:6379 (keys under a random prefix of this run, deleted afterwards). Fails when Redis is
 * not running.
 */
class RedisBackendsIT {

    static final String URI = "redis://127.0.0.1:6379";
    static final String PREFIX = "aegis-llm-test:" + UUID.randomUUID() + ":";
    final MockProvider openai = new MockProvider(Reply.json(200, "openai/chat-response.json"));

    @AfterEach
    void stop() {
        openai.close();
    }

    @AfterAll
    static void cleanUp() {
        RedisClient client = RedisClient.create(URI);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = c.sync().scan(cursor, ScanArgs.Builder.matches(PREFIX + "*").limit(500));
                if (!page.getKeys().isEmpty()) {
                    c.sync().del(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        } finally {
            client.shutdown();
        }
    }

    Map<String, String> config(String... extra) {
        Map<String, String> m = new java.util.HashMap<>(Map.of(
                "aegis.llm.providers.openai.base-url", openai.baseUrl().toString(),
                "aegis.llm.providers.openai.api-key", "sk-test",
                "aegis.llm.redis.uri", URI,
                "aegis.llm.redis.key-prefix", PREFIX));
        for (int i = 0; i < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return m;
    }

    @Test
    void answersAreSharedThroughTheRedisCache() {
        Map<String, String> m = config("aegis.llm.cache.store", "redis", "aegis.llm.cache.ttl", "1m");
        LlmRequest r = OpenAiWireIT.request().toBuilder().temperature(0).tenant("acme").build();
        try (LlmClient a = LlmClients.fromConfig(AegisConfig.ofMap(m)); LlmClient b = LlmClients.fromConfig(AegisConfig.ofMap(m))) {
            LlmResponse first = a.complete(r);
            LlmResponse fromOtherReplica = b.complete(r);

            assertThat(first.cacheHit()).isFalse();
            assertThat(fromOtherReplica.cacheHit()).isTrue();
            assertThat(fromOtherReplica.content()).isEqualTo(first.content());
            assertThat(fromOtherReplica.usage()).isEqualTo(first.usage());
            assertThat(openai.calls()).isEqualTo(1);
        }
    }

    @Test
    void aRedisCacheThatFailsIsAMiss() {
        RedisResponseCache cache = RedisResponseCache.connect(URI, PREFIX, Duration.ofMillis(500));
        cache.close();
        assertThat(cache.get("anything")).isEmpty();
    }

    @Test
    void budgetsAreSharedByReplicasAndNeverOverrun() throws Exception {
        // gpt-4o-mini: the worst case of this request is ~0.000165 USD; 0.001 USD holds 6 of them.
        Map<String, String> m = config("aegis.llm.budget.store", "redis", "aegis.llm.budget.daily", "0.001",
                "aegis.llm.cache.enabled", "false");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (LlmClient a = LlmClients.fromConfig(AegisConfig.ofMap(m)); LlmClient b = LlmClients.fromConfig(AegisConfig.ofMap(m))) {
            openai.fallback(Reply.json(200, "openai/chat-response.json").stallAfter(0, 1_000));
            List<CompletableFuture<Object>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                LlmClient client = i % 2 == 0 ? a : b;
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return client.complete(OpenAiWireIT.request().toBuilder().tenant("shared").build());
                    } catch (LlmException e) {
                        return e;
                    }
                }, pool));
            }
            long answered = 0;
            long refused = 0;
            for (CompletableFuture<Object> f : calls) {
                Object o = f.get();
                if (o instanceof LlmResponse) {
                    answered++;
                } else if (o instanceof LlmException e && e.kind() == LlmErrorKind.BUDGET_EXCEEDED) {
                    refused++;
                }
            }
            // While all 16 were in flight together, reservations held the worst case: at most 6 fit.
            assertThat(answered).isBetween(1L, 6L);
            assertThat(answered + refused).isEqualTo(16);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anUnreachableRedisFailsStartUpNamingTheKey() {
        Map<String, String> m = config("aegis.llm.budget.store", "redis", "aegis.llm.redis.uri", "redis://127.0.0.1:1",
                "aegis.llm.redis.timeout", "300ms");
        assertThatThrownBy(() -> LlmClients.fromConfig(AegisConfig.ofMap(m))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("aegis.llm.redis.uri='redis://127.0.0.1:1'");
    }
}
