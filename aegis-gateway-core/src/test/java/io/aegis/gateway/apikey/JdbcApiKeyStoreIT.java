package io.aegis.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.apikey.spi.StoredApiKey;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MutableClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDBC store against the real PostgreSQL at 127.0.0.1:5432 (database {@code test}, user
 * {@code postgres}), in a schema of its own that is dropped afterwards. Fails when the server is
 * absent: start it (.ci/run does).
 */
class JdbcApiKeyStoreIT {

    static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String SCHEMA = "aegis_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    static final byte[] PEPPER = "jdbc-pepper-jdbc-pepper-jdbc-pepper!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static DriverManagerDataSource ds;
    static JdbcApiKeyStore store;

    @BeforeAll
    static void start() throws Exception {
        ds = new DriverManagerDataSource(URL, "postgres", null, Duration.ofSeconds(3));
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(2)).as("PostgreSQL at " + URL).isTrue();
        }
        store = new JdbcApiKeyStore(ds, SCHEMA, Duration.ofSeconds(5));
    }

    @AfterAll
    static void dropSchema() throws Exception {
        try (Connection c = DriverManager.getConnection(URL, "postgres", null); Statement st = c.createStatement()) {
            st.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Test
    void migrationIsVersionedIdempotentAndConcurrencySafe() throws Exception {
        String schema = SCHEMA + "_m";
        JdbcApiKeyStore s = new JdbcApiKeyStore(ds, schema, Duration.ofSeconds(5));
        try {
            assertThat(s.schemaVersion()).isZero();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Integer>>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                runs.add(pool.submit(() -> {
                    go.await();
                    return s.migrate();
                }));
            }
            go.countDown();
            List<Integer> applied = new ArrayList<>();
            for (Future<List<Integer>> f : runs) {
                applied.addAll(f.get(60, TimeUnit.SECONDS));
            }
            pool.shutdown();
            assertThat(applied).containsExactly(1, 2); // once, by whichever got the lock first
            assertThat(s.schemaVersion()).isEqualTo(2).isEqualTo(s.requiredSchemaVersion());
            assertThat(s.migrate()).isEmpty();
            try (Connection c = ds.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT version, description FROM " + schema
                         + ".aegis_schema_history WHERE component = 'api-keys' ORDER BY version")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(2)).isEqualTo("api keys");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
            // A script changed after it was applied is refused.
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("UPDATE " + schema + ".aegis_schema_history SET checksum = 'tampered' WHERE version = 1");
            }
            assertThatThrownBy(s::migrate).isInstanceOf(ApiKeyStoreException.class).hasMessageContaining("was changed after");
        } finally {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void theFullLifecycleOnPostgres() {
        store.migrate();
        MutableClock clock = new MutableClock(Instant.parse("2026-05-04T08:30:00Z"));
        try (ApiKeys keys = ApiKeys.builder(ApiKeySettings.builder().pepper(PEPPER).usageFlushInterval(Duration.ofMinutes(5)).build())
                .store(store).clock(clock).build()) {
            ApiKeyService admin = keys.service();
            IssuedApiKey k = admin.create(NewApiKey.builder("pg-owner").name("pg key").tenant("acme").tier(Tier.ENTERPRISE)
                    .scopes("a:read", "b:write").lifetime(Duration.ofDays(30)).build(), "it");
            StoredApiKey stored = store.findById(k.key().id()).orElseThrow();
            assertThat(stored.key()).isEqualTo(k.key());
            assertThat(stored.hash()).isEqualTo(new ApiKeyHasher(PEPPER).hash(k.secret()));
            assertThat(store.findByHash(new ApiKeyHasher(PEPPER).hash(k.secret()))).contains(stored);
            assertThat(store.findByHash(new byte[32])).isEmpty();

            AuthenticationResult ok = keys.authenticator().authenticate(new Exchange(FakeRequest.get("/x")
                    .header("X-API-Key", k.secret())));
            assertThat(ok.principal().subject()).isEqualTo("pg-owner");
            assertThat(ok.principal().scopes()).isEqualTo(Set.of("a:read", "b:write"));
            assertThat(ok.principal().tier()).isEqualTo(Tier.ENTERPRISE);

            IssuedApiKey next = admin.rotate(k.key().id(), Duration.ofHours(1), "it");
            assertThat(admin.get(k.key().id()).orElseThrow().status()).isEqualTo(ApiKeyStatus.ROTATED);
            assertThat(store.rotate(k.key().id(), new StoredApiKey(next.key(), new byte[32]), clock.instant())).isFalse();
            assertThat(admin.list(new ApiKeyFilter("pg-owner", "acme", null, 10))).extracting(ApiKey::id)
                    .containsExactlyInAnyOrder(k.key().id(), next.key().id());
            admin.revoke(next.key().id(), "it");
            assertThat(admin.list(new ApiKeyFilter("pg-owner", null, ApiKeyStatus.REVOKED, 10))).extracting(ApiKey::id)
                    .containsExactly(next.key().id());
            assertThat(admin.audit(k.key().id(), 10)).extracting(ApiKeyAuditRecord::action).containsExactly("rotated", "created");
            assertThat(admin.audit(next.key().id(), 10)).extracting(ApiKeyAuditRecord::action).containsExactly("revoked", "created");

            // Usage: batches add up, last-used advances, hourly rows.
            Instant hour = Instant.parse("2026-05-04T08:00:00Z");
            store.recordUsage(List.of(new ApiKeyUsage(k.key().id(), hour, "GET /a", "v1", 5, 1, clock.instant()),
                    new ApiKeyUsage(k.key().id(), hour, "GET /b", "", 2, 0, clock.instant().minusSeconds(60))));
            store.recordUsage(List.of(new ApiKeyUsage(k.key().id(), hour, "GET /a", "v1", 3, 2, clock.instant().plusSeconds(5))));
            List<ApiKeyUsage> rows = store.usage(k.key().id(), hour, hour.plus(Duration.ofHours(1)));
            assertThat(rows).extracting(ApiKeyUsage::route, ApiKeyUsage::requests, ApiKeyUsage::errors)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("GET /a", 8L, 3L),
                            org.assertj.core.groups.Tuple.tuple("GET /b", 2L, 0L));
            assertThat(admin.get(k.key().id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant().plusSeconds(5));
            assertThat(store.usage(k.key().id(), hour.plus(Duration.ofHours(1)), hour.plus(Duration.ofHours(2)))).isEmpty();
            assertThat(store.healthy()).isTrue();
        }
    }

    @Test
    void thePepperIsPinnedToTheStore() {
        store.migrate();
        store.verifyPepper(new ApiKeyHasher(PEPPER).pepperFingerprint());
        byte[] other = PEPPER.clone();
        other[3] ^= 7;
        assertThatThrownBy(() -> ApiKeys.builder(ApiKeySettings.builder().pepper(other).jdbcSchema(SCHEMA).build()).dataSource(ds).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not the one");
    }

    @Test
    void anOldSchemaRefusesToStartUnlessMigrationIsAskedFor() throws Exception {
        String schema = SCHEMA + "_o";
        try {
            ApiKeySettings s = ApiKeySettings.builder().pepper(PEPPER).jdbcSchema(schema).build();
            assertThatThrownBy(() -> ApiKeys.builder(s).dataSource(ds).build()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("version 0 (expected: 2)");
            ApiKeySettings m = ApiKeySettings.builder().pepper(PEPPER).jdbcSchema(schema).migrate(true).build();
            try (ApiKeys keys = ApiKeys.builder(m).dataSource(ds).build()) {
                assertThat(((JdbcApiKeyStore) keys.store()).schemaVersion()).isEqualTo(2);
            }
        } finally {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    @Test
    void concurrentRotationOnPostgresHasOneWinner() throws Exception {
        store.migrate();
        try (ApiKeys keys = ApiKeys.builder(ApiKeySettings.builder().pepper(PEPPER).build()).store(store).build()) {
            IssuedApiKey k = keys.service().create(NewApiKey.builder("race").build(), "it");
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch go = new CountDownLatch(1);
            AtomicInteger won = new AtomicInteger();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    try {
                        keys.service().rotate(k.key().id(), Duration.ofMinutes(1), "it");
                        won.incrementAndGet();
                    } catch (IllegalStateException lost) {
                        // another rotation won
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : fs) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(won.get()).isEqualTo(1);
            assertThat(keys.service().list(new ApiKeyFilter("race", null, null, 10))).hasSize(2);
        }
    }

    @Test
    void anUnreachableDatabaseIsAStoreFailure() {
        JdbcApiKeyStore down = new JdbcApiKeyStore(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none",
                "postgres", null, Duration.ofSeconds(1)), null, Duration.ofSeconds(1));
        assertThatThrownBy(() -> down.findById("key_x")).isInstanceOf(ApiKeyStoreException.class);
        assertThat(down.healthy()).isFalse();
    }
}
