package io.aegis.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.testing.FakeRequest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Two replicas share a store and the real Redis at 127.0.0.1:6379 (a channel unique to this run):
 * a revocation on one reaches the other at once, well inside a cache TTL set long on purpose.
 * Fails when Redis is absent: start it (.ci/run does).
 */
class RedisInvalidationIT {

    @Test
    void revocationReachesTheOtherReplicaAtOnce() throws Exception {
        InMemoryApiKeyStore shared = new InMemoryApiKeyStore();
        ApiKeySettings s = ApiKeySettings.builder()
                .pepper("redis-pepper-redis-pepper-redis-pepper".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .cacheTtl(Duration.ofMinutes(5))
                .redis(URI.create("redis://127.0.0.1:6379"))
                .redisChannel("aegis:it:" + UUID.randomUUID())
                .build();
        try (ApiKeys a = ApiKeys.builder(s).store(shared).build(); ApiKeys b = ApiKeys.builder(s).store(shared).build()) {
            IssuedApiKey k = a.service().create(NewApiKey.builder("zoe").build(), "it");
            Exchange ex = new Exchange(FakeRequest.get("/x").header("X-API-Key", k.secret()));
            assertThat(b.authenticator().authenticate(ex).isSuccess()).isTrue(); // cached on b for 5 min
            a.service().revoke(k.key().id(), "it");
            Instant deadline = Instant.now().plusSeconds(5);
            boolean refused = false;
            while (Instant.now().isBefore(deadline) && !refused) {
                refused = b.authenticator().authenticate(new Exchange(FakeRequest.get("/x").header("X-API-Key", k.secret())))
                        .isFailure();
                if (!refused) {
                    Thread.sleep(20);
                }
            }
            assertThat(refused).as("revocation broadcast over Redis within 5 s (cache TTL 5 min)").isTrue();
        }
    }

    @Test
    void withoutRedisTheCacheTtlRemainsTheBound() throws Exception {
        InMemoryApiKeyStore shared = new InMemoryApiKeyStore();
        io.aegis.gateway.testing.MutableClock clock = new io.aegis.gateway.testing.MutableClock(Instant.now());
        ApiKeySettings s = ApiKeySettings.builder()
                .pepper("redis-pepper-redis-pepper-redis-pepper".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .redis(URI.create("redis://127.0.0.1:1")) // nothing listens: the broadcast is unavailable
                .build();
        try (ApiKeys a = ApiKeys.builder(s).store(shared).clock(clock).build();
             ApiKeys b = ApiKeys.builder(s).store(shared).clock(clock).build()) {
            IssuedApiKey k = a.service().create(NewApiKey.builder("yan").build(), "it");
            assertThat(b.authenticator().authenticate(new Exchange(FakeRequest.get("/x").header("X-API-Key", k.secret())))
                    .isSuccess()).isTrue();
            a.service().revoke(k.key().id(), "it"); // publishing fails quietly
            assertThat(a.authenticator().authenticate(new Exchange(FakeRequest.get("/x").header("X-API-Key", k.secret())))
                    .isFailure()).isTrue();
            clock.advance(Duration.ofSeconds(5));
            assertThat(b.authenticator().authenticate(new Exchange(FakeRequest.get("/x").header("X-API-Key", k.secret())))
                    .isFailure()).isTrue();
        }
    }
}
