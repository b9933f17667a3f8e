package io.aegis.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.network.TrustedProxies;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.LimitSet;
import io.aegis.gateway.ratelimit.RateLimitKey;
import io.aegis.gateway.ratelimit.RateLimitRule;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.ratelimit.TierLimits;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The configuration path and the programmatic path produce the same policy (Helidon's
 * WebSecurityFromConfigTest / WebSecurityProgrammaticTest, side by side).
 */
class PolicyConfigTest {

    static Map<String, String> fullConfig() {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.service.name", "user-service");
        m.put("aegis.service.environment", "prod");
        m.put("aegis.auth.jwt.jwks-uri", "https://idp.test/realms/aegis/jwks");
        m.put("aegis.auth.jwt.issuer", "https://idp.test/realms/aegis");
        m.put("aegis.auth.jwt.audiences", "user-service, gateway");
        m.put("aegis.auth.jwt.algorithms", "RS256,ES256");
        m.put("aegis.auth.jwt.clock-skew", "10s");
        m.put("aegis.auth.jwt.max-token-size", "4096");
        m.put("aegis.auth.jwt.required-type", "at+jwt");
        m.put("aegis.auth.jwt.require-expiration", "yes");
        m.put("aegis.auth.jwt.scope-claims", "scope");
        m.put("aegis.auth.jwt.role-claims", "realm_access.roles,groups");
        m.put("aegis.auth.jwt.tenant-claim", "org");
        m.put("aegis.auth.jwt.tier-claim", "plan");
        m.put("aegis.auth.jwt.jwks.refresh-interval", "10m");
        m.put("aegis.auth.jwt.jwks.min-refetch-interval", "5s");
        m.put("aegis.auth.jwt.jwks.timeout", "1500ms");
        m.put("aegis.auth.jwt.cache.max-entries", "500");
        m.put("aegis.auth.jwt.cache.max-ttl", "PT5M");
        m.put("aegis.auth.default-access", "deny-all");
        m.put("aegis.ratelimit.tiers.free.limits", "5/1s,100/1m");
        m.put("aegis.ratelimit.tiers.premium.limits", "50/1s");
        m.put("aegis.ratelimit.default.key", "ip");
        m.put("aegis.ratelimit.default.limits", "20/1s");
        m.put("aegis.ratelimit.api-key-header", "X-Key");
        m.put("aegis.ratelimit.max-buckets", "5000");
        m.put("aegis.network.trusted-proxies", "10.0.0.0/8, 2001:db8::/32");
        m.put("aegis.routes.users.method", "GET");
        m.put("aegis.routes.users.path", "/api/v1/users/{id}");
        m.put("aegis.routes.users.version", "v1");
        m.put("aegis.routes.users.scopes", "users:read");
        m.put("aegis.routes.users.rate-limit.key", "user");
        m.put("aegis.routes.users.rate-limit.group", "users");
        m.put("aegis.routes.users.rate-limit.limits", "10/1s");
        m.put("aegis.routes.users.rate-limit.cost", "2");
        m.put("aegis.routes.admin.path", "/admin/{rest: .*}");
        m.put("aegis.routes.admin.access", "deny");
        m.put("aegis.routes.health.method", "get");
        m.put("aegis.routes.health.path", "/health");
        m.put("aegis.routes.health.access", "public");
        m.put("aegis.routes.orders.method", "POST");
        m.put("aegis.routes.orders.path", "/orders");
        m.put("aegis.routes.orders.scopes", "orders:write, orders:admin");
        m.put("aegis.routes.orders.scopes-mode", "any-of");
        m.put("aegis.routes.orders.roles", "buyer,admin");
        m.put("aegis.routes.orders.roles-mode", "all-of");
        m.put("aegis.routes.orders.auth-schemes", "api-key, jwt");
        return m;
    }

    static ServicePolicy programmatic() {
        JwtSettings jwt = JwtSettings.builder(JwtKeySource.jwksUri(URI.create("https://idp.test/realms/aegis/jwks")))
                .issuer("https://idp.test/realms/aegis")
                .audiences("user-service", "gateway")
                .algorithms(Set.of("RS256", "ES256"))
                .clockSkew(Duration.ofSeconds(10))
                .maxTokenSize(4096)
                .requiredType("at+jwt")
                .requireExpiration(true)
                .scopeClaims(List.of("scope"))
                .roleClaims(List.of("realm_access.roles", "groups"))
                .tenantClaim("org")
                .tierClaim("plan")
                .jwksRefreshInterval(Duration.ofMinutes(10))
                .jwksMinRefetchInterval(Duration.ofSeconds(5))
                .jwksTimeout(Duration.ofMillis(1500))
                .cacheMaxEntries(500)
                .cacheMaxTtl(Duration.ofMinutes(5))
                .build();
        RateLimitSettings limits = RateLimitSettings.builder()
                .tiers(TierLimits.builder().tier(Tier.FREE, "5/1s,100/1m").tier(Tier.PREMIUM, "50/1s").build())
                .defaultRule(RateLimitRule.builder(RateLimitKey.IP).group("default").limits(LimitSet.parse("20/1s")).build())
                .apiKeyHeader("X-Key")
                .maxBuckets(5000)
                .build();
        // Routes read from configuration come in the order of their ids.
        return ServicePolicy.builder("user-service")
                .environment("prod")
                .jwt(jwt)
                .rateLimits(limits)
                .trustedProxies(TrustedProxies.parse("10.0.0.0/8,2001:db8::/32"))
                .fallbackRoute(RoutePolicy.fallback().toBuilder().access(Access.DENY_ALL).build())
                .route(RoutePolicy.builder("*", "/admin/{rest: .*}").id("admin").access(Access.DENY_ALL).build())
                .route(RoutePolicy.builder("GET", "/health").id("health").publicAccess().build())
                .route(RoutePolicy.builder("POST", "/orders").id("orders")
                        .scopes(Requirement.anyOf("orders:write", "orders:admin"))
                        .roles(Requirement.allOf("buyer", "admin"))
                        .authSchemes(List.of(AuthScheme.API_KEY, AuthScheme.JWT))
                        .build())
                .route(RoutePolicy.builder("GET", "/api/v1/users/{id}").id("users").version("v1")
                        .scopes(Requirement.allOf("users:read"))
                        .rateLimit(RateLimitRule.builder(RateLimitKey.USER).group("users").limits(LimitSet.parse("10/1s"))
                                .cost(2).build())
                        .build())
                .build();
    }

    static void assertSamePolicy(ServicePolicy actual, ServicePolicy expected) {
        assertThat(actual).usingRecursiveComparison().ignoringFields("routeTable").isEqualTo(expected);
        assertThat(actual.jwt()).isEqualTo(expected.jwt());
        assertThat(actual.rateLimits()).isEqualTo(expected.rateLimits());
        assertThat(actual.trustedProxies()).isEqualTo(expected.trustedProxies());
        assertThat(actual.routes()).hasSameSizeAs(expected.routes());
        for (int i = 0; i < expected.routes().size(); i++) {
            assertThat(actual.routes().get(i)).hasToString(expected.routes().get(i).toString());
        }
    }

    @Test
    void configurationAndBuilderProduceTheSamePolicy() {
        assertSamePolicy(PolicyConfig.read(AegisConfig.ofMap(fullConfig())), programmatic());
    }

    @Test
    void theDefaultsAreThoseOfTheBuilders() {
        ServicePolicy fromConfig = PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.service.name", "svc")));
        ServicePolicy built = ServicePolicy.builder("svc").build();
        assertSamePolicy(fromConfig, built);
        assertThat(fromConfig.jwt()).isNull();
        assertThat(fromConfig.environment()).isEqualTo("dev");
        assertThat(PolicyConfig.read(AegisConfig.ofMap(Map.of())).name()).isEqualTo("aegis-service");
    }

    @Test
    void microProfileJwtKeysAreAliases(@TempDir Path dir) throws Exception {
        TestKeys.SigningKey key = TestKeys.ec("e1", "ES256");
        Path pem = dir.resolve("public.pem");
        Files.writeString(pem, key.publicPem(), StandardCharsets.UTF_8);
        Map<String, String> m = new HashMap<>();
        m.put("mp.jwt.verify.issuer", "https://issuer.test");
        m.put("mp.jwt.verify.audiences", "a,b");
        m.put("mp.jwt.verify.publickey.location", pem.toString());
        m.put("mp.jwt.verify.publickey.algorithm", "ES256");
        m.put("mp.jwt.verify.clock.skew", "45");
        m.put("smallrye.jwt.path.groups", "realm_access.roles");
        JwtSettings jwt = PolicyConfig.jwt(AegisConfig.ofMap(m));
        assertThat(jwt).isEqualTo(JwtSettings.builder(JwtKeySource.pem(key.publicPem().strip()))
                .issuer("https://issuer.test").audiences("a", "b").algorithms(Set.of("ES256"))
                .clockSkew(Duration.ofSeconds(45)).roleClaims(List.of("realm_access.roles")).build());

        m.put("mp.jwt.verify.publickey.location", "file:" + pem);
        assertThat(PolicyConfig.jwt(AegisConfig.ofMap(m)).keySource()).isEqualTo(JwtKeySource.pem(key.publicPem().strip()));
    }

    @Test
    void anHttpPublicKeyLocationIsAJwksEndpoint() {
        try (JwksServer server = new JwksServer(TestKeys.jwks(TestKeys.rsa("k1")))) {
            JwtSettings jwt = PolicyConfig.jwt(AegisConfig.ofMap(Map.of(
                    "mp.jwt.verify.publickey.location", server.uri().toString())));
            assertThat(jwt.keySource()).isEqualTo(JwtKeySource.jwksUri(server.uri()));
        }
    }

    @Test
    void inlineKeysArePemOrAJwksDocument() {
        TestKeys.SigningKey key = TestKeys.rsa("k1");
        assertThat(PolicyConfig.jwt(AegisConfig.ofMap(Map.of("mp.jwt.verify.publickey", key.publicPem()))).keySource())
                .isEqualTo(JwtKeySource.pem(key.publicPem().strip()));
        assertThat(PolicyConfig.jwt(AegisConfig.ofMap(Map.of("aegis.auth.jwt.public-key", TestKeys.jwks(key)))).keySource())
                .isEqualTo(JwtKeySource.jwksJson(TestKeys.jwks(key)));
    }

    @Test
    void ourKeysWinOverTheirAliases() {
        JwtSettings jwt = PolicyConfig.jwt(AegisConfig.ofMap(Map.of(
                "aegis.auth.jwt.jwks-uri", "https://idp.test/jwks",
                "aegis.auth.jwt.issuer", "https://ours.test",
                "mp.jwt.verify.issuer", "https://theirs.test",
                "aegis.auth.jwt.clock-skew", "5s",
                "mp.jwt.verify.clock.skew", "50")));
        assertThat(jwt.issuer()).isEqualTo("https://ours.test");
        assertThat(jwt.clockSkew()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void secretsMayBeGivenAsBase64OrInAFile(@TempDir Path dir) throws Exception {
        byte[] secret = new byte[48];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) i;
        }
        String b64 = "base64:" + Base64.getEncoder().encodeToString(secret);
        assertThat(PolicyConfig.jwt(AegisConfig.ofMap(Map.of("aegis.auth.jwt.secret", b64))).keySource())
                .isEqualTo(JwtKeySource.secret(secret));
        Path file = dir.resolve("secret");
        Files.writeString(file, b64 + "\n");
        JwtSettings fromFile = PolicyConfig.jwt(AegisConfig.ofMap(Map.of("aegis.auth.jwt.secret-file", file.toString())));
        assertThat(fromFile.keySource()).isEqualTo(JwtKeySource.secret(secret));
        assertThat(fromFile.algorithms()).containsExactlyInAnyOrder("HS256", "HS384");
    }

    @Test
    void theActiveProfileChoosesValuesAndRoutes() {
        Map<String, String> m = new HashMap<>();
        m.put("mp.config.profile", "dev");
        m.put("aegis.ratelimit.tiers.free.limits", "5/1m");
        m.put("%dev.aegis.ratelimit.tiers.free.limits", "1000/1m");
        m.put("%prod.aegis.ratelimit.tiers.free.limits", "1/1m");
        m.put("aegis.routes.items.path", "/items");
        m.put("%dev.aegis.routes.debug.path", "/debug");
        m.put("%dev.aegis.routes.debug.access", "public");
        m.put("%prod.aegis.routes.admin.path", "/admin");
        m.put("%prod.aegis.routes.items.access", "public");
        ServicePolicy p = PolicyConfig.read(AegisConfig.ofMap(m));
        assertThat(p.environment()).isEqualTo("dev");
        assertThat(p.rateLimits().tiers().forTier(Tier.FREE)).hasToString("1000/1m");
        assertThat(p.routes()).extracting(RoutePolicy::id).containsExactly("debug", "items");
        assertThat(p.routes().get(0).access()).isEqualTo(Access.PUBLIC);
        assertThat(p.routes().get(1).access()).isEqualTo(Access.AUTHENTICATED);

        m.put("mp.config.profile", "prod");
        ServicePolicy prod = PolicyConfig.read(AegisConfig.ofMap(m));
        assertThat(prod.environment()).isEqualTo("prod");
        assertThat(prod.rateLimits().tiers().forTier(Tier.FREE)).hasToString("1/1m");
        assertThat(prod.routes()).extracting(RoutePolicy::id).containsExactly("admin", "items");
        assertThat(prod.routes().get(1).access()).isEqualTo(Access.PUBLIC);
    }

    @Test
    void rateLimitsCanBeTurnedOffAndTheDefaultRuleRemoved() {
        RateLimitSettings s = PolicyConfig.rateLimits(AegisConfig.ofMap(Map.of(
                "aegis.ratelimit.enabled", "off", "aegis.ratelimit.default.key", "none")));
        assertThat(s.enabled()).isFalse();
        assertThat(s.defaultRule()).isNull();
    }
}
