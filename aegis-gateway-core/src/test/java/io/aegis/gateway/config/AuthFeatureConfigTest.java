package io.aegis.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.apikey.ApiKeyFormat;
import io.aegis.gateway.apikey.ApiKeySettings;
import io.aegis.gateway.apikey.InMemoryApiKeyStore;
import io.aegis.gateway.apikey.IssuedApiKey;
import io.aegis.gateway.apikey.NewApiKey;
import io.aegis.gateway.oauth.ClientAuthentication;
import io.aegis.gateway.oauth.IntrospectionSettings;
import io.aegis.gateway.oauth.OAuthClientRegistration;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.testing.FakeRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** aegis.apikeys.*, aegis.auth.introspection.* and aegis.oauth.clients.*: the configuration path beside the programmatic one. */
class AuthFeatureConfigTest {

    static final String PEPPER = "0123456789abcdef0123456789abcdef";

    static AegisConfig cfg(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return AegisConfig.ofMap(m);
    }

    @Test
    void apiKeysAreOffUnlessEnabled() {
        assertThat(ApiKeyConfig.read(cfg())).isNull();
        assertThat(ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "false"))).isNull();
    }

    @Test
    void configurationAndBuilderGiveEqualSettings() {
        ApiKeySettings fromConfig = ApiKeyConfig.read(cfg(
                "aegis.apikeys.enabled", "true",
                "aegis.apikeys.header", "X-Key",
                "aegis.apikeys.environment", "live",
                "aegis.apikeys.pepper", PEPPER,
                "aegis.apikeys.jdbc.url", "jdbc:postgresql://db:5432/aegis",
                "aegis.apikeys.jdbc.user", "aegis",
                "aegis.apikeys.jdbc.password", "pw",
                "aegis.apikeys.jdbc.schema", "keys",
                "aegis.apikeys.jdbc.timeout", "3s",
                "aegis.apikeys.jdbc.migrate", "true",
                "aegis.apikeys.cache.ttl", "2s",
                "aegis.apikeys.cache.max-entries", "500",
                "aegis.apikeys.cache.negative-ttl", "1s",
                "aegis.apikeys.rotation.grace", "12h",
                "aegis.apikeys.rotation.max-grace", "7d",
                "aegis.apikeys.default-lifetime", "90d",
                "aegis.apikeys.abuse.max-failures", "10",
                "aegis.apikeys.abuse.window", "30s",
                "aegis.apikeys.abuse.block-for", "10m",
                "aegis.apikeys.usage.flush-interval", "5s",
                "aegis.apikeys.usage.max-pending", "1000",
                "aegis.apikeys.redis.uri", "redis://127.0.0.1:6379",
                "aegis.apikeys.redis.channel", "keys:ch"));
        ApiKeySettings built = ApiKeySettings.builder().header("X-Key").environment(ApiKeyFormat.Environment.LIVE)
                .pepper(PEPPER.getBytes(StandardCharsets.UTF_8)).jdbc("jdbc:postgresql://db:5432/aegis", "aegis", "pw")
                .jdbcSchema("keys").jdbcTimeout(Duration.ofSeconds(3)).migrate(true).cacheTtl(Duration.ofSeconds(2))
                .cacheMaxEntries(500).negativeCacheTtl(Duration.ofSeconds(1)).rotationGrace(Duration.ofHours(12))
                .maxRotationGrace(Duration.ofDays(7)).defaultLifetime(Duration.ofDays(90))
                .abuse(10, Duration.ofSeconds(30), Duration.ofMinutes(10)).usageFlushInterval(Duration.ofSeconds(5))
                .usageMaxPending(1000).redis(URI.create("redis://127.0.0.1:6379")).redisChannel("keys:ch").build();
        assertThat(fromConfig).isEqualTo(built);
        assertThat(fromConfig.store()).isEqualTo(ApiKeySettings.Store.JDBC);
        assertThat(fromConfig.toString()).doesNotContain("pw").doesNotContain(PEPPER);
    }

    @Test
    void keyEnvironmentFollowsTheServiceEnvironment() {
        assertThat(ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true")).environment()).isEqualTo(ApiKeyFormat.Environment.TEST);
        assertThat(ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true", "aegis.service.environment", "prod")).environment())
                .isEqualTo(ApiKeyFormat.Environment.LIVE);
    }

    @Test
    void pepperFromAFileOrBase64(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("pepper");
        Files.writeString(f, "base64:" + java.util.Base64.getEncoder().encodeToString(new byte[48]) + "\n");
        assertThat(ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true", "aegis.apikeys.pepper-file", f.toString())).pepper())
                .hasSize(48);
    }

    @Test
    void invalidValuesNameTheKeyAndHideSecrets() {
        assertThatThrownBy(() -> ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true", "aegis.apikeys.pepper", "short")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.apikeys.pepper='****'")
                .hasMessageContaining("at least 32");
        assertThatThrownBy(() -> ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true",
                "aegis.apikeys.jdbc.url", "jdbc:postgresql://db/x")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.apikeys.pepper");
        assertThatThrownBy(() -> ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true", "aegis.apikeys.store", "jdbc")))
                .hasMessageContaining("aegis.apikeys.jdbc.url");
        assertThatThrownBy(() -> ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true", "aegis.apikeys.cache.ttl", "1h")))
                .hasMessageContaining("aegis.apikeys.cache.ttl='1h'");
        assertThatThrownBy(() -> ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true", "aegis.apikeys.environment", "prod")))
                .hasMessageContaining("aegis.apikeys.environment='prod'").hasMessageContaining("live or test");
        assertThatThrownBy(() -> ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "true", "aegis.apikeys.header", "X Key")))
                .hasMessageContaining("aegis.apikeys.header");
        assertThatThrownBy(() -> ApiKeyConfig.read(cfg("aegis.apikeys.enabled", "maybe")))
                .hasMessageContaining("aegis.apikeys.enabled='maybe'");
    }

    @Test
    void introspectionFromConfiguration() {
        assertThat(OAuthConfig.introspection(cfg())).isNull();
        IntrospectionSettings s = OAuthConfig.introspection(cfg(
                "aegis.auth.introspection.uri", "https://idp.example.com/introspect",
                "aegis.auth.introspection.client-id", "api",
                "aegis.auth.introspection.client-secret", "secret",
                "aegis.auth.introspection.client-auth", "client_secret_post",
                "aegis.auth.introspection.timeout", "1s",
                "aegis.auth.introspection.cache.max-ttl", "1m",
                "aegis.auth.introspection.audiences", "api,other",
                "aegis.auth.introspection.issuer", "https://idp.example.com/"));
        assertThat(s).isEqualTo(IntrospectionSettings.builder(URI.create("https://idp.example.com/introspect"), "api", "secret")
                .authentication(ClientAuthentication.CLIENT_SECRET_POST).timeout(Duration.ofSeconds(1))
                .cacheMaxTtl(Duration.ofMinutes(1)).audiences(Set.of("api", "other")).issuer("https://idp.example.com/").build());
        assertThatThrownBy(() -> OAuthConfig.introspection(cfg("aegis.auth.introspection.uri", "https://x/i")))
                .hasMessageContaining("aegis.auth.introspection.client-id");
        assertThatThrownBy(() -> OAuthConfig.introspection(cfg("aegis.auth.introspection.uri", "https://x/i",
                "aegis.auth.introspection.client-id", "a", "aegis.auth.introspection.client-secret", "s",
                "aegis.auth.introspection.client-auth", "none")))
                .hasMessageContaining("aegis.auth.introspection.client-auth='none'");
    }

    @Test
    void clientRegistrationsFromConfiguration() {
        List<OAuthClientRegistration> clients = OAuthConfig.clients(cfg(
                "aegis.oauth.clients.billing.client-id", "billing",
                "aegis.oauth.clients.billing.client-secret", "s",
                "aegis.oauth.clients.billing.token-uri", "https://idp/token",
                "aegis.oauth.clients.billing.scopes", "a,b",
                "aegis.oauth.clients.billing.audience", "payments",
                "aegis.oauth.clients.portal.client-id", "portal",
                "aegis.oauth.clients.portal.token-uri", "https://idp/token",
                "aegis.oauth.clients.portal.authorization-uri", "https://idp/authorize",
                "aegis.oauth.clients.portal.redirect-uri", "https://portal/callback"));
        assertThat(clients).hasSize(2);
        assertThat(clients.get(0)).isEqualTo(OAuthClientRegistration.builder("billing", "billing").clientSecret("s")
                .tokenUri(URI.create("https://idp/token")).scopes(List.of("a", "b")).audience("payments").build());
        assertThat(clients.get(1).authentication()).isEqualTo(ClientAuthentication.NONE);
        assertThat(clients.get(0).toString()).doesNotContain("=s");
        assertThatThrownBy(() -> OAuthConfig.clients(cfg("aegis.oauth.clients.x.client-id", "x")))
                .hasMessageContaining("aegis.oauth.clients.x.token-uri");
        assertThatThrownBy(() -> OAuthConfig.clients(cfg("aegis.oauth.clients.x.client-id", "x",
                "aegis.oauth.clients.x.token-uri", "ftp://idp/token")))
                .hasMessageContaining("aegis.oauth.clients.x.token-uri='ftp://idp/token'");
    }

    @Test
    void theGatewayBuildsApiKeysFromConfiguration() {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.service.name", "things");
        m.put("aegis.apikeys.enabled", "true");
        m.put("aegis.routes.t.path", "/t");
        m.put("aegis.routes.t.auth-schemes", "jwt,api-key");
        m.put("aegis.oauth.clients.billing.client-id", "billing");
        m.put("aegis.oauth.clients.billing.client-secret", "s");
        m.put("aegis.oauth.clients.billing.token-uri", "https://idp/token");
        try (AegisGateway gw = AegisGateway.builder().config(() -> AegisConfig.ofMap(m)).build()) {
            assertThat(gw.apiKeys()).isNotNull();
            assertThat(gw.apiKeys().store()).isInstanceOf(InMemoryApiKeyStore.class);
            assertThat(gw.oauthClients().names()).containsExactly("billing");
            IssuedApiKey k = gw.apiKeys().service().create(NewApiKey.builder("ivy").build(), "test");
            Exchange ex = new Exchange(FakeRequest.get("/t").header("X-API-Key", k.secret()));
            assertThat(gw.pipeline().evaluate(ex).proceeds()).isTrue();
            assertThat(ex.principal().scheme()).isEqualTo(AuthScheme.API_KEY);
            assertThat(gw.health().report(io.aegis.gateway.health.HealthRegistry.Kind.READINESS).toJson())
                    .contains("api-key-store");
            var bad = gw.pipeline().evaluate(new Exchange(FakeRequest.get("/t").header("X-API-Key", "nope")));
            assertThat(bad.problem().status()).isEqualTo(401);
        }
        try (AegisGateway gw = AegisGateway.builder().config(() -> AegisConfig.ofMap(Map.of())).build()) {
            assertThat(gw.apiKeys()).isNull();
            assertThat(gw.oauthClients().names()).isEmpty();
        }
    }
}
