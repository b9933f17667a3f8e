package io.aegis.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.apikey.spi.ApiKeyStore;
import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.apikey.spi.StoredApiKey;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Key lifecycle through the authenticator and the administration service, on the in-memory store and a test clock. */
class ApiKeysTest {

    static final byte[] PEPPER = "pepper-pepper-pepper-pepper-pepper".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:15:00Z"));
    List<GatewayEvent> events = Collections.synchronizedList(new ArrayList<>());
    ApiKeys keys;
    ApiKeyService admin;

    @BeforeEach
    void setUp() {
        keys = build(ApiKeySettings.builder().pepper(PEPPER).abuse(5, Duration.ofMinutes(1), Duration.ofMinutes(2)).build(),
                new InMemoryApiKeyStore());
        admin = keys.service();
    }

    ApiKeys build(ApiKeySettings settings, ApiKeyStore store) {
        GatewayEvents ev = new GatewayEvents().addListener(events::add);
        return ApiKeys.builder(settings).store(store).clock(clock).events(ev).realm("things").build();
    }

    @AfterEach
    void tearDown() {
        keys.close();
    }

    AuthenticationResult present(String key) {
        return present(key, "198.51.100.7");
    }

    AuthenticationResult present(String key, String client) {
        return keys.authenticator().authenticate(new Exchange(FakeRequest.get("/x").header("X-API-Key", key).remote(client)));
    }

    IssuedApiKey create() {
        return admin.create(NewApiKey.builder("alice").name("ci").tenant("acme").tier(Tier.PREMIUM)
                .scopes("users:read", "users:write").build(), "admin");
    }

    @Test
    void aValidKeyBecomesThePrincipalOfItsOwner() {
        IssuedApiKey issued = create();
        assertThat(issued.secret()).startsWith("aegis_test_");
        assertThat(issued.toString()).doesNotContain(issued.secret());
        AuthenticationResult r = present(issued.secret());
        assertThat(r.isSuccess()).isTrue();
        Principal p = r.principal();
        assertThat(p.subject()).isEqualTo("alice");
        assertThat(p.scheme()).isEqualTo(AuthScheme.API_KEY);
        assertThat(p.scopes()).containsExactlyInAnyOrder("users:read", "users:write");
        assertThat(p.tenant()).isEqualTo("acme");
        assertThat(p.tier()).isEqualTo(Tier.PREMIUM);
        assertThat(p.credentialId()).isEqualTo(issued.key().id()).startsWith("key_");
        assertThat(p.claims()).containsEntry("api_key_name", "ci");
    }

    @Test
    void noHeaderAbstains() {
        assertThat(keys.authenticator().authenticate(new Exchange(FakeRequest.get("/x"))).isAbstain()).isTrue();
    }

    @Test
    void theStoreKeepsOnlyTheHash() {
        IssuedApiKey issued = create();
        StoredApiKey s = keys.store().findById(issued.key().id()).orElseThrow();
        assertThat(s.hash()).hasSize(32).isEqualTo(new ApiKeyHasher(PEPPER).hash(issued.secret()));
        assertThat(s.toString() + s.key()).doesNotContain(issued.secret());
        assertThat(s.key().hint()).isEqualTo(ApiKeyFormat.hint(issued.secret()));
    }

    @Test
    void malformedUnknownAndForeignKeysAre401WithAFixedDescription() {
        create();
        String unknown = ApiKeyFormat.generate(ApiKeyFormat.Environment.TEST);
        String live = ApiKeyFormat.generate(ApiKeyFormat.Environment.LIVE);
        assertThat(present(unknown).problem().detail()).isEqualTo("The API key is not known");
        assertThat(present("nope").problem().detail()).isEqualTo("The value is not an Aegis API key");
        assertThat(present(live).problem().detail()).isEqualTo("The API key belongs to the live environment, not test");
        AuthenticationResult r = present(unknown.substring(0, 40) + "zzzzzzzzz");
        assertThat(r.problem().status()).isEqualTo(401);
        assertThat(r.problem().type()).isEqualTo(ApiKeyProblems.INVALID_API_KEY);
        assertThat(r.problem().headers().get("WWW-Authenticate")).containsExactly("ApiKey realm=\"things\", header=\"X-API-Key\"");
        assertThat(r.problem().toJson()).doesNotContain(unknown.substring(12, 30));
    }

    @Test
    void twoKeyHeadersAre400() {
        IssuedApiKey k = create();
        AuthenticationResult r = keys.authenticator().authenticate(new Exchange(FakeRequest.get("/x")
                .header("X-API-Key", k.secret()).header("X-API-Key", k.secret())));
        assertThat(r.problem().status()).isEqualTo(400);
    }

    @Test
    void expiredKeysStopAtTheirExpiry() {
        IssuedApiKey k = admin.create(NewApiKey.builder("bob").lifetime(Duration.ofHours(1)).build(), "admin");
        assertThat(present(k.secret()).isSuccess()).isTrue();
        clock.advance(Duration.ofMinutes(59));
        assertThat(present(k.secret()).isSuccess()).isTrue(); // cached entry, validity still checked per request
        clock.advance(Duration.ofMinutes(1));
        assertThat(present(k.secret()).problem().detail()).isEqualTo("The API key expired");
        assertThatThrownBy(() -> admin.create(NewApiKey.builder("bob").expiresAt(clock.instant()).build(), "admin"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void revocationTakesEffectAtOnceOnThisReplica() {
        IssuedApiKey k = create();
        assertThat(present(k.secret()).isSuccess()).isTrue(); // now cached
        ApiKey revoked = admin.revoke(k.key().id(), "admin");
        assertThat(revoked.status()).isEqualTo(ApiKeyStatus.REVOKED);
        assertThat(revoked.revokedAt()).isEqualTo(clock.instant());
        assertThat(present(k.secret()).problem().detail()).isEqualTo("The API key was revoked");
        assertThat(admin.revoke(k.key().id(), "admin").status()).isEqualTo(ApiKeyStatus.REVOKED); // idempotent
        assertThatThrownBy(() -> admin.revoke("key_nope", "admin")).isInstanceOf(NoSuchElementException.class);
        assertThat(events).extracting(GatewayEvent::type).containsOnlyOnce(ApiKeyService.REVOKED);
    }

    @Test
    void anotherReplicaSeesRevocationWithinTheCacheTtl() {
        InMemoryApiKeyStore shared = new InMemoryApiKeyStore();
        ApiKeySettings s = ApiKeySettings.builder().pepper(PEPPER).cacheTtl(Duration.ofSeconds(5)).build();
        try (ApiKeys a = build(s, shared); ApiKeys b = build(s, shared)) {
            IssuedApiKey k = a.service().create(NewApiKey.builder("carol").build(), "admin");
            Exchange ex = new Exchange(FakeRequest.get("/x").header("X-API-Key", k.secret()));
            assertThat(b.authenticator().authenticate(ex).isSuccess()).isTrue(); // b caches it
            a.service().revoke(k.key().id(), "admin");
            assertThat(b.authenticator().authenticate(ex).isSuccess()).isTrue(); // within the bound
            clock.advance(Duration.ofSeconds(5));
            assertThat(b.authenticator().authenticate(ex).problem().detail()).isEqualTo("The API key was revoked");
        }
    }

    @Test
    void rotationKeepsTheOldKeyForTheGracePeriod() {
        IssuedApiKey old = create();
        assertThat(present(old.secret()).isSuccess()).isTrue();
        IssuedApiKey fresh = admin.rotate(old.key().id(), Duration.ofHours(2), "admin");
        assertThat(fresh.secret()).isNotEqualTo(old.secret());
        assertThat(fresh.key().owner()).isEqualTo("alice");
        assertThat(fresh.key().scopes()).isEqualTo(old.key().scopes());
        assertThat(fresh.key().tier()).isEqualTo(Tier.PREMIUM);
        ApiKey rotated = admin.get(old.key().id()).orElseThrow();
        assertThat(rotated.status()).isEqualTo(ApiKeyStatus.ROTATED);
        assertThat(rotated.replacedBy()).isEqualTo(fresh.key().id());
        assertThat(rotated.graceUntil()).isEqualTo(clock.instant().plus(Duration.ofHours(2)));

        assertThat(present(old.secret()).isSuccess()).isTrue();
        assertThat(present(fresh.secret()).isSuccess()).isTrue();
        clock.advance(Duration.ofHours(2));
        assertThat(present(old.secret()).problem().detail()).isEqualTo("The API key was replaced by a newer one");
        assertThat(present(fresh.secret()).isSuccess()).isTrue();

        assertThatThrownBy(() -> admin.rotate(old.key().id(), null, "admin")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is rotated");
        assertThatThrownBy(() -> admin.rotate(fresh.key().id(), Duration.ofDays(31), "admin"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(admin.audit(old.key().id(), 10)).extracting(ApiKeyAuditRecord::action).containsExactly("rotated", "created");
        assertThat(events).extracting(GatewayEvent::type)
                .containsExactly(ApiKeyService.CREATED, ApiKeyService.ROTATED, ApiKeyService.CREATED);
    }

    @Test
    void rotationWithoutGraceEndsTheOldKeyAtOnce() {
        IssuedApiKey old = create();
        present(old.secret());
        admin.rotate(old.key().id(), Duration.ZERO, "admin");
        assertThat(present(old.secret()).isFailure()).isTrue();
    }

    @Test
    void aKeyCreatedAfterAFailedAttemptWorksAtOnce() {
        // Nothing can be created with a chosen secret; but the negative cache must not hide new keys:
        // creating any key clears it, so a hash remembered as unknown is looked up again.
        String unknown = ApiKeyFormat.generate(ApiKeyFormat.Environment.TEST);
        present(unknown);
        IssuedApiKey k = create();
        assertThat(present(k.secret()).isSuccess()).isTrue();
    }

    @Test
    void listFiltersByOwnerTenantAndStatus() {
        IssuedApiKey a = create();
        clock.advance(Duration.ofSeconds(1));
        IssuedApiKey b = admin.create(NewApiKey.builder("bob").tenant("globex").build(), "admin");
        admin.revoke(b.key().id(), "admin");
        assertThat(admin.list(ApiKeyFilter.all())).extracting(ApiKey::id).containsExactly(b.key().id(), a.key().id());
        assertThat(admin.list(new ApiKeyFilter("alice", null, null, 10))).extracting(ApiKey::id).containsExactly(a.key().id());
        assertThat(admin.list(new ApiKeyFilter(null, "globex", ApiKeyStatus.REVOKED, 10))).hasSize(1);
        assertThat(admin.list(new ApiKeyFilter(null, null, ApiKeyStatus.ACTIVE, 1))).hasSize(1);
        assertThatThrownBy(() -> new ApiKeyFilter(null, null, null, 0)).hasMessageContaining("limit");
    }

    @Test
    void aBurstOfFailedKeysBlocksTheAddressAndIsReported() {
        IssuedApiKey good = create();
        for (int i = 0; i < 4; i++) {
            assertThat(present(ApiKeyFormat.generate(ApiKeyFormat.Environment.TEST), "203.0.113.9").problem().status())
                    .isEqualTo(401);
        }
        assertThat(events).extracting(GatewayEvent::type).doesNotContain(ApiKeys.ABUSE_EVENT);
        assertThat(present("garbage", "203.0.113.9").problem().status()).isEqualTo(401); // the 5th failure
        GatewayEvent abuse = events.stream().filter(e -> e.type().equals(ApiKeys.ABUSE_EVENT)).findFirst().orElseThrow();
        assertThat(abuse.attributes()).containsEntry("client", "203.0.113.9").containsEntry("failures", 5)
                .containsEntry("blocked_seconds", 120L);
        AuthenticationResult blocked = present(good.secret(), "203.0.113.9");
        assertThat(blocked.problem().status()).isEqualTo(429);
        assertThat(blocked.problem().type()).isEqualTo(ApiKeyProblems.API_KEY_ABUSE);
        assertThat(blocked.problem().headers().get("Retry-After")).containsExactly("120");
        // Other addresses are not affected; the block ends.
        assertThat(present(good.secret(), "203.0.113.10").isSuccess()).isTrue();
        clock.advance(Duration.ofMinutes(2));
        assertThat(present(good.secret(), "203.0.113.9").isSuccess()).isTrue();
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        for (int i = 0; i < 20; i++) {
            present("garbage", "203.0.113.20");
            clock.advance(Duration.ofSeconds(15)); // 4 per minute, under 5
        }
        assertThat(events).extracting(GatewayEvent::type).doesNotContain(ApiKeys.ABUSE_EVENT);
    }

    @Test
    void aFailingStoreIs503AndCachedKeysKeepWorking() {
        FailingStore store = new FailingStore();
        try (ApiKeys k = build(ApiKeySettings.builder().pepper(PEPPER).build(), store)) {
            IssuedApiKey cached = k.service().create(NewApiKey.builder("dora").build(), "admin");
            IssuedApiKey uncached = k.service().create(NewApiKey.builder("erin").build(), "admin");
            Exchange ex = new Exchange(FakeRequest.get("/x").header("X-API-Key", cached.secret()));
            assertThat(k.authenticator().authenticate(ex).isSuccess()).isTrue();
            store.down.set(true);
            assertThat(k.authenticator().authenticate(ex).isSuccess()).isTrue();
            AuthenticationResult r = k.authenticator().authenticate(new Exchange(FakeRequest.get("/x")
                    .header("X-API-Key", uncached.secret())));
            assertThat(r.problem().status()).isEqualTo(503);
            assertThat(r.problem().headers().get("Retry-After")).containsExactly("5");
            clock.advance(Duration.ofSeconds(6));
            assertThat(k.authenticator().authenticate(ex).problem().status()).isEqualTo(503); // fail closed after the TTL
        }
    }

    @Test
    void concurrentRotationsOfOneKeyProduceOneSuccessor() throws Exception {
        IssuedApiKey k = create();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger won = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            fs.add(pool.submit(() -> {
                start.await();
                try {
                    admin.rotate(k.key().id(), Duration.ofMinutes(10), "admin");
                    won.incrementAndGet();
                } catch (IllegalStateException e) {
                    lost.incrementAndGet();
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : fs) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(won.get()).isEqualTo(1);
        assertThat(lost.get()).isEqualTo(15);
        assertThat(admin.list(new ApiKeyFilter("alice", null, null, 100))).hasSize(2);
    }

    @Test
    void keysKeepWorkingWhileBeingRotatedConcurrently() throws Exception {
        IssuedApiKey first = create();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger failures = new AtomicInteger();
        List<String> live = Collections.synchronizedList(new ArrayList<>(List.of(first.secret())));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> users = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            users.add(pool.submit(() -> {
                while (!stop.get()) {
                    String secret = live.get(live.size() - 1);
                    if (!present(secret).isSuccess()) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        String id = first.key().id();
        for (int i = 0; i < 50; i++) {
            IssuedApiKey next = admin.rotate(id, Duration.ofMinutes(5), "admin");
            live.add(next.secret());
            id = next.key().id();
        }
        stop.set(true);
        for (Future<?> f : users) {
            f.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(failures.get()).isZero();
        // Every predecessor is still in its grace period; the latest is active.
        for (String s : live) {
            assertThat(present(s).isSuccess()).isTrue();
        }
    }

    @Test
    void usageIsCountedPerRouteAndVersionAndFlushedInBatches() {
        ServicePolicy policy = ServicePolicy.builder("things")
                .versioning(io.aegis.gateway.versioning.VersioningSettings.builder()
                        .version(io.aegis.gateway.versioning.ApiVersion.builder("v1").build())
                        .version(io.aegis.gateway.versioning.ApiVersion.builder("v2").build()).build())
                .route(RoutePolicy.builder("GET", "/api/v1/things").version("v1").authSchemes(List.of(AuthScheme.API_KEY))
                        .scopes(Requirement.allOf("things:read")).build())
                .route(RoutePolicy.builder("GET", "/api/v2/things").version("v2").authSchemes(List.of(AuthScheme.API_KEY)).build())
                .build();
        CountingStore store = new CountingStore();
        try (ApiKeys k = build(ApiKeySettings.builder().pepper(PEPPER).usageFlushInterval(Duration.ofMinutes(10)).build(), store);
             AegisGateway gw = AegisGateway.builder().policy(policy).apiKeys(k).clock(clock).build()) {
            IssuedApiKey reader = k.service().create(NewApiKey.builder("frank").scopes("things:read").build(), "admin");
            IssuedApiKey nobody = k.service().create(NewApiKey.builder("gina").build(), "admin");
            for (int i = 0; i < 3; i++) {
                call(gw, "/api/v1/things", reader.secret(), 200);
            }
            call(gw, "/api/v2/things", reader.secret(), 500);
            Decision forbidden = call(gw, "/api/v1/things", nobody.secret(), -1);
            assertThat(forbidden.problem().status()).isEqualTo(403);
            assertThat(store.usageWrites).isZero(); // nothing written per request

            ApiKeyUsageReport pending = k.service().usage(reader.key().id(), clock.instant().minus(Duration.ofHours(1)),
                    clock.instant().plus(Duration.ofHours(1)));
            assertThat(pending.requests()).isEqualTo(4);
            assertThat(pending.errors()).isEqualTo(1);

            assertThat(k.flushUsage()).isEqualTo(3);
            assertThat(store.usageWrites).isEqualTo(1);
            ApiKeyUsageReport r = k.service().usage(reader.key().id(), clock.instant().minus(Duration.ofHours(1)),
                    clock.instant().plus(Duration.ofHours(1)));
            assertThat(r.requests()).isEqualTo(4);
            assertThat(r.errors()).isEqualTo(1);
            assertThat(r.lastUsedAt()).isEqualTo(clock.instant());
            assertThat(r.rows()).extracting(ApiKeyUsage::route, ApiKeyUsage::version, ApiKeyUsage::requests)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("GET /api/v1/things", "v1", 3L),
                            org.assertj.core.groups.Tuple.tuple("GET /api/v2/things", "v2", 1L));
            assertThat(r.rows().get(0).periodStart()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
            ApiKeyUsageReport denied = k.service().usage(nobody.key().id(), clock.instant().minus(Duration.ofHours(1)),
                    clock.instant().plus(Duration.ofHours(1)));
            assertThat(denied.requests()).isEqualTo(1);
            assertThat(denied.errors()).isEqualTo(1);
            assertThat(k.service().get(reader.key().id()).orElseThrow().lastUsedAt()).isEqualTo(clock.instant());
            assertThat(k.flushUsage()).isZero();
        }
    }

    @Test
    void aFailedFlushKeepsTheCountsForTheNextOne() {
        CountingStore store = new CountingStore();
        try (ApiKeys k = build(ApiKeySettings.builder().pepper(PEPPER).usageFlushInterval(Duration.ofMinutes(10)).build(), store);
             AegisGateway gw = AegisGateway.builder().policy(ServicePolicy.builder("things")
                     .route(RoutePolicy.builder("GET", "/t").authSchemes(List.of(AuthScheme.API_KEY)).build()).build())
                     .apiKeys(k).build()) {
            IssuedApiKey key = k.service().create(NewApiKey.builder("hank").build(), "admin");
            call(gw, "/t", key.secret(), 200);
            call(gw, "/t", key.secret(), 200);
            store.failUsage = true;
            assertThat(k.flushUsage()).isZero();
            call(gw, "/t", key.secret(), 200);
            store.failUsage = false;
            assertThat(k.flushUsage()).isEqualTo(1);
            assertThat(k.service().usage(key.key().id(), Instant.EPOCH, Instant.now().plusSeconds(3600)).requests()).isEqualTo(3);
        }
    }

    @Test
    void usageMemoryIsBounded() {
        try (ApiKeys k = build(ApiKeySettings.builder().pepper(PEPPER).usageMaxPending(2).build(), new InMemoryApiKeyStore());
             AegisGateway gw = AegisGateway.builder().policy(ServicePolicy.builder("things")
                     .route(RoutePolicy.builder("GET", "/a/{x}").authSchemes(List.of(AuthScheme.API_KEY)).build()).build())
                     .apiKeys(k).clock(clock).build()) {
            IssuedApiKey a = k.service().create(NewApiKey.builder("a").build(), "admin");
            IssuedApiKey b = k.service().create(NewApiKey.builder("b").build(), "admin");
            IssuedApiKey c = k.service().create(NewApiKey.builder("c").build(), "admin");
            call(gw, "/a/1", a.secret(), 200);
            call(gw, "/a/1", b.secret(), 200);
            call(gw, "/a/1", c.secret(), 200);
            call(gw, "/a/1", a.secret(), 200);
            assertThat(k.droppedUsage()).isEqualTo(1);
        }
    }

    @Test
    void aPersistentStoreNeedsAPepper() {
        assertThatThrownBy(() -> ApiKeys.builder(ApiKeySettings.builder().build()).store(new CountingStore()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pepper");
        try (ApiKeys k = ApiKeys.builder(ApiKeySettings.builder().build()).build()) {
            assertThat(k.store()).isInstanceOf(InMemoryApiKeyStore.class);
        }
    }

    /** Runs a request through the pipeline and completes it with the status (or the rejection's). */
    static Decision call(AegisGateway gw, String path, String key, int status) {
        Exchange ex = new Exchange(FakeRequest.get(path).header("X-API-Key", key));
        Decision d = gw.pipeline().evaluate(ex);
        gw.pipeline().complete(ex, d.rejects() ? d.problem().status() : status);
        return d;
    }

    /** A store whose reads can be made to fail. */
    static final class FailingStore implements ApiKeyStore {
        final InMemoryApiKeyStore inner = new InMemoryApiKeyStore();
        final AtomicBoolean down = new AtomicBoolean();

        private void check() {
            if (down.get()) {
                throw new ApiKeyStoreException("database down");
            }
        }

        @Override
        public void create(StoredApiKey key) {
            check();
            inner.create(key);
        }

        @Override
        public Optional<StoredApiKey> findByHash(byte[] hash) {
            check();
            return inner.findByHash(hash);
        }

        @Override
        public Optional<StoredApiKey> findById(String id) {
            check();
            return inner.findById(id);
        }

        @Override
        public List<StoredApiKey> list(ApiKeyFilter filter) {
            check();
            return inner.list(filter);
        }

        @Override
        public boolean rotate(String id, StoredApiKey successor, Instant graceUntil) {
            check();
            return inner.rotate(id, successor, graceUntil);
        }

        @Override
        public boolean revoke(String id, Instant at) {
            check();
            return inner.revoke(id, at);
        }

        @Override
        public void recordUsage(List<ApiKeyUsage> batch) {
            check();
            inner.recordUsage(batch);
        }

        @Override
        public List<ApiKeyUsage> usage(String keyId, Instant from, Instant to) {
            return inner.usage(keyId, from, to);
        }

        @Override
        public void appendAudit(ApiKeyAuditRecord entry) {
            inner.appendAudit(entry);
        }

        @Override
        public List<ApiKeyAuditRecord> audit(String keyId, int limit) {
            return inner.audit(keyId, limit);
        }
    }

    /** Counts usage writes; can fail them. */
    static final class CountingStore implements ApiKeyStore {
        final InMemoryApiKeyStore inner = new InMemoryApiKeyStore();
        volatile int usageWrites;
        volatile boolean failUsage;

        @Override
        public void create(StoredApiKey key) {
            inner.create(key);
        }

        @Override
        public Optional<StoredApiKey> findByHash(byte[] hash) {
            return inner.findByHash(hash);
        }

        @Override
        public Optional<StoredApiKey> findById(String id) {
            return inner.findById(id);
        }

        @Override
        public List<StoredApiKey> list(ApiKeyFilter filter) {
            return inner.list(filter);
        }

        @Override
        public boolean rotate(String id, StoredApiKey successor, Instant graceUntil) {
            return inner.rotate(id, successor, graceUntil);
        }

        @Override
        public boolean revoke(String id, Instant at) {
            return inner.revoke(id, at);
        }

        @Override
        public void recordUsage(List<ApiKeyUsage> batch) {
            if (failUsage) {
                throw new ApiKeyStoreException("usage table locked");
            }
            usageWrites++;
            inner.recordUsage(batch);
        }

        @Override
        public List<ApiKeyUsage> usage(String keyId, Instant from, Instant to) {
            return inner.usage(keyId, from, to);
        }

        @Override
        public void appendAudit(ApiKeyAuditRecord entry) {
            inner.appendAudit(entry);
        }

        @Override
        public List<ApiKeyAuditRecord> audit(String keyId, int limit) {
            return inner.audit(keyId, limit);
        }
    }
}
