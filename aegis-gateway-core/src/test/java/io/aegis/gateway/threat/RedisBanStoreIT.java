package io.aegis.gateway.threat;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.threat.internal.RedisBanStore;
import io.aegis.gateway.threat.spi.Ban;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bans shared by two replicas through the real Redis on 127.0.0.1:6379 (fails when it is absent),
 * under a unique key prefix removed afterwards.
 */
class RedisBanStoreIT {

    static final String URI = "redis://127.0.0.1:6379";
    final String prefix = "aegis-test:" + UUID.randomUUID() + ":";
    RedisBanStore a;
    RedisBanStore b;

    @BeforeEach
    void open() {
        a = new RedisBanStore(URI, prefix, Duration.ofSeconds(2), Duration.ofMillis(1));
        b = new RedisBanStore(URI, prefix, Duration.ofSeconds(2), Duration.ofMillis(1));
    }

    @AfterEach
    void cleanUp() {
        a.close();
        b.close();
        RedisClient c = RedisClient.create(URI);
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            for (String k : conn.sync().keys(prefix + "*")) {
                conn.sync().del(k);
            }
        } finally {
            c.shutdown();
        }
    }

    @Test
    void aBanOnOneReplicaHoldsOnTheOther() throws Exception {
        Instant now = Instant.now();
        Ban ban = a.ban("203.0.113.7", "waf", now, Duration.ofMinutes(5), 4, Duration.ofHours(1), Duration.ofHours(1));
        assertThat(ban.level()).isEqualTo(1);
        Thread.sleep(5); // past the 1ms lookup cache
        Ban seen = b.active("203.0.113.7", now);
        assertThat(seen).isNotNull();
        assertThat(seen.reason()).isEqualTo("waf");
        assertThat(seen.until()).isEqualTo(ban.until().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertThat(b.active("203.0.113.8", now)).isNull();
    }

    @Test
    void escalationCountsOffensesAcrossReplicas() {
        Instant now = Instant.now();
        a.ban("198.51.100.1", "waf", now, Duration.ofMinutes(1), 4, Duration.ofHours(1), Duration.ofHours(1));
        Ban second = b.ban("198.51.100.1", "scanning", now, Duration.ofMinutes(1), 4, Duration.ofHours(1), Duration.ofHours(1));
        assertThat(second.level()).isEqualTo(2);
        assertThat(Duration.between(now, second.until())).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void bansExpireInRedisAndCanBeLifted() throws Exception {
        Instant now = Instant.now();
        a.ban("192.0.2.1", "rate", now, Duration.ofMillis(300), 1, Duration.ofMillis(300), Duration.ofHours(1));
        assertThat(b.active("192.0.2.1", Instant.now())).isNotNull();
        Thread.sleep(500); // Redis expires the key itself (PX)
        assertThat(b.active("192.0.2.1", Instant.now())).isNull();
        a.ban("192.0.2.2", "waf", now, Duration.ofMinutes(5), 1, Duration.ofMinutes(5), Duration.ofHours(1));
        b.unban("192.0.2.2");
        Thread.sleep(5);
        assertThat(a.active("192.0.2.2", Instant.now())).isNotNull().as("a's own memory still has it");
        RedisBanStore c = new RedisBanStore(URI, prefix, Duration.ofSeconds(2), Duration.ofMillis(1));
        try {
            assertThat(c.active("192.0.2.2", Instant.now())).as("gone from Redis").isNull();
        } finally {
            c.close();
        }
    }

    @Test
    void anUnreachableRedisFailsOpenToLocalBans() {
        RedisBanStore down = new RedisBanStore("redis://127.0.0.1:1", prefix, Duration.ofMillis(200), Duration.ofMillis(1));
        try {
            Instant now = Instant.now();
            assertThat(down.active("192.0.2.3", now)).isNull();
            Ban local = down.ban("192.0.2.3", "waf", now, Duration.ofMinutes(1), 2, Duration.ofMinutes(10), Duration.ofHours(1));
            assertThat(down.active("192.0.2.3", now)).isEqualTo(local);
        } finally {
            down.close();
        }
    }
}
