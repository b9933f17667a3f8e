package io.aegis.gateway.llm.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The budget contract against the real Redis on 127.0.0.1:6379 (shared with other test runs: every
 * key of this run has its own random prefix and only those keys are deleted). Fails when Redis is
 * not running.
 */
class RedisBudgetStoreIT extends BudgetStoreContract {

    static final String URI = "redis://127.0.0.1:6379";
    static final String PREFIX = "aegis-llm-test:" + UUID.randomUUID() + ":";
    static RedisBudgetStore store;

    @BeforeAll
    static void connect() {
        store = RedisBudgetStore.connect(URI, PREFIX, Duration.ofSeconds(2));
    }

    @AfterAll
    static void cleanUp() {
        store.close();
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

    @Override
    BudgetStore store() {
        return store;
    }

    @Override
    String key(String name) {
        return name;
    }

    @Test
    void windowKeysExpireAfterTheirWindow() {
        Reservation r = store.reserve("tenant-ttl", 10, new BudgetLimits(1_000, 1_000), NOW);
        assertThat(r.windows()).hasSize(2);
        RedisClient client = RedisClient.create(URI);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            long dayTtl = c.sync().ttl(PREFIX + "budget:{tenant-ttl}:d:2026-11-26");
            // The day window ends in a minute; its key lives one more day (but this TTL is relative to the real clock).
            assertThat(dayTtl).isBetween(1L, Duration.ofDays(1).plusMinutes(2).toSeconds());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void anUnreachableRedisIsUnavailable() {
        assertThatThrownBy(() -> RedisBudgetStore.connect("redis://127.0.0.1:1", PREFIX, Duration.ofMillis(500)))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmErrorKind.UNAVAILABLE));
    }
}
