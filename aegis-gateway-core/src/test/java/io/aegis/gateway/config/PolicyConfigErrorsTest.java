package io.aegis.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Invalid configuration fails with a ConfigException naming the key, the value (masked for secrets) and the rule. */
class PolicyConfigErrorsTest {

    private static void assertRefused(Map<String, String> config, String key, String message) {
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(config)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo(key);
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "aegis.ratelimit.tiers.free.limits|5/1x|aegis.ratelimit.tiers.free.limits='5/1x' (duration: '1x' (expected: a unit of ms, s, m, h or d))",
            "aegis.ratelimit.tiers.premium.limits|0/1s|aegis.ratelimit.tiers.premium.limits='0/1s' (count: 0 (expected: > 0))",
            "aegis.ratelimit.tiers.free.limits|5/1s,6/1s|aegis.ratelimit.tiers.free.limits='5/1s,6/1s' (limits: [5/1s, 6/1s] (expected: at most one limit per window, found two for PT1S))",
            "aegis.ratelimit.default.limits|many|aegis.ratelimit.default.limits='many' (limit: 'many' (expected: count/duration, e.g. 10/1s))",
            "aegis.ratelimit.enabled|maybe|aegis.ratelimit.enabled='maybe' (expected: true or false)",
            "aegis.ratelimit.backend|memcached|aegis.ratelimit.backend='memcached' (expected: one of local, redis)",
            "aegis.ratelimit.default.key|session|aegis.ratelimit.default.key='session' (expected: one of ip, user, api-key, tenant, none)",
            "aegis.ratelimit.max-buckets|0|aegis.ratelimit.max-buckets='0' (expected: a whole number 1..100000000)",
            "aegis.ratelimit.api-key-header|X API Key|aegis.ratelimit.api-key-header='X API Key' (api-key-header: X API Key (expected: an HTTP header name))",
            "aegis.network.trusted-proxies|10.0.0.0/8,lb.internal|aegis.network.trusted-proxies='10.0.0.0/8,lb.internal' (cidr: 'lb.internal' (expected: an IP address or network such as 10.0.0.0/8 or 2001:db8::/32))",
            "aegis.service.name|User_Service|aegis.service.name='User_Service' (service name: 'User_Service' (expected: lower-case letters, digits and hyphens, at most 63, e.g. user-service))",
            "aegis.service.environment|Prod|aegis.service.environment='Prod' (environment: 'Prod' (expected: lower-case letters, digits and hyphens, e.g. prod))",
            "aegis.auth.default-access|private|aegis.auth.default-access='private' (expected: one of authenticated, public, deny, deny-all)",
            "aegis.auth.jwt.jwks-uri|ftp://idp.test/jwks|aegis.auth.jwt.jwks-uri='ftp://idp.test/jwks' (jwks-uri: ftp://idp.test/jwks (expected: an absolute http or https URI))",
            "aegis.auth.jwt.public-key-location|/nonexistent/key.pem|aegis.auth.jwt.public-key-location='/nonexistent/key.pem' (expected: a readable file or classpath: resource; NoSuchFileException: /nonexistent/key.pem)",
            "mp.jwt.verify.publickey.location|classpath:nope.pem|mp.jwt.verify.publickey.location='classpath:nope.pem' (expected: a readable file or classpath: resource; IOException: no such resource)"})
    void anInvalidValueNamesKeyValueAndRule(String key, String value, String message) {
        assertRefused(Map.of(key, value), key, message);
    }

    private static Map<String, String> withJwks(String key, String value) {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.auth.jwt.jwks-uri", "https://idp.test/jwks");
        m.put(key, value);
        return m;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "aegis.auth.jwt.max-token-size|big|aegis.auth.jwt.max-token-size='big' (expected: a whole number 256..1048576)",
            "aegis.auth.jwt.max-token-size|100|aegis.auth.jwt.max-token-size='100' (expected: a whole number 256..1048576)",
            "aegis.auth.jwt.algorithms|RS256,HS256|aegis.auth.jwt.algorithms='RS256,HS256' (algorithms: HS256 (expected: HMAC only with an explicitly configured secret))",
            "mp.jwt.verify.publickey.algorithm|none|mp.jwt.verify.publickey.algorithm='none' (algorithms: none (expected: a signing algorithm; unsecured tokens are never accepted))",
            "aegis.auth.jwt.clock-skew|11m|aegis.auth.jwt.clock-skew='11m' (clock-skew: PT11M (expected: 0 to 10 minutes))",
            "mp.jwt.verify.clock.skew|601|mp.jwt.verify.clock.skew='601' (clock-skew: PT10M1S (expected: 0 to 10 minutes))",
            "aegis.auth.jwt.jwks.timeout|0s|aegis.auth.jwt.jwks.timeout='0s' (jwks.timeout: PT0S (expected: > 0))",
            "aegis.auth.jwt.cache.max-ttl|PT0S|aegis.auth.jwt.cache.max-ttl='PT0S' (cache.max-ttl: PT0S (expected: > 0))",
            "aegis.auth.jwt.clock-skew|soon|aegis.auth.jwt.clock-skew='soon' (duration: 'soon' (expected: e.g. 1s, 5m, PT1H))",
            "mp.jwt.verify.clock.skew|5s|mp.jwt.verify.clock.skew='5s' (For input string: \"5s\")",
            "aegis.auth.jwt.jwks.min-refetch-interval|1m|aegis.auth.jwt.jwks.min-refetch-interval='1m' (jwks.min-refetch-interval: PT1M (expected: 0 to 30s, so that a rotated key works within half a minute))",
            "aegis.auth.jwt.jwks.refresh-interval|1s|aegis.auth.jwt (jwks.refresh-interval: PT1S (expected: >= jwks.min-refetch-interval PT15S))",
            "aegis.auth.jwt.cache.max-entries|-1|aegis.auth.jwt.cache.max-entries='-1' (expected: a whole number 0..10000000)",
            "aegis.auth.jwt.require-expiration|perhaps|aegis.auth.jwt.require-expiration='perhaps' (expected: true or false)"})
    void anInvalidJwtValueNamesKeyValueAndRule(String key, String value, String message) {
        String expectedKey = message.substring(0, message.indexOf(message.contains("='") ? "='" : " ("));
        assertRefused(withJwks(key, value), expectedKey, message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "path|/a/{id|aegis.routes.x.path='/a/{id' (path: /a/{id (expected: '}' to end segment {id))",
            "path|a/b|aegis.routes.x.path='a/b' (path: a/b (expected: a template starting with '/'))",
            "access|private|aegis.routes.x.access='private' (expected: one of authenticated, public, deny, deny-all)",
            "scopes|a,b c|aegis.routes.x.scopes='a,b c' (value: 'b c' (expected: a non-blank name without white space))",
            "scopes-mode|some-of|aegis.routes.x.scopes-mode='some-of' (expected: one of all-of, any-of)",
            "auth-schemes|jwt,kerberos|aegis.routes.x.auth-schemes='jwt,kerberos' (No enum constant io.aegis.gateway.policy.AuthScheme.KERBEROS)",
            "rate-limit.key|session|aegis.routes.x.rate-limit.key='session' (expected: one of ip, user, api-key, tenant, none)"})
    void anInvalidRouteValueNamesKeyValueAndRule(String property, String value, String message) {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.routes.x.path", "/x");
        m.put("aegis.routes.x." + property, value); // may replace the path
        assertRefused(m, "aegis.routes.x." + property, message);
    }

    @Test
    void anInvalidRouteRateLimitNamesItsKey() {
        assertRefused(Map.of("aegis.routes.x.path", "/x", "aegis.routes.x.rate-limit.key", "ip", "aegis.routes.x.rate-limit.cost", "0"),
                "aegis.routes.x.rate-limit.cost", "aegis.routes.x.rate-limit.cost='0' (expected: a whole number 1..1000000)");
        assertRefused(Map.of("aegis.routes.x.path", "/x", "aegis.routes.x.rate-limit.key", "user",
                        "aegis.routes.x.rate-limit.limits", "5/1q"),
                "aegis.routes.x.rate-limit.limits",
                "aegis.routes.x.rate-limit.limits='5/1q' (duration: '1q' (expected: a unit of ms, s, m, h or d))");
    }

    @Test
    void aRouteWithoutAPathIsRefused() {
        assertRefused(Map.of("aegis.routes.x.method", "GET"), "aegis.routes.x.path",
                "aegis.routes.x.path (expected: a path template for route x)");
    }

    @Test
    void clashingRoutesAreRefused() {
        assertRefused(Map.of("aegis.routes.a.path", "/x/{id}", "aegis.routes.b.path", "/x/{name}"), "aegis.routes",
                "aegis.routes (route b duplicates route a (expected: one route per method and path))");
        assertRefused(Map.of("aegis.routes.a.path", "/x", "aegis.routes.a.access", "public", "aegis.routes.a.scopes", "s"),
                "aegis.routes", "aegis.routes (route a is public but requires scopes or roles (expected: either public, or requirements))");
    }

    @Test
    void secretsAreMaskedInMessages(@TempDir Path dir) throws Exception {
        assertRefused(Map.of("aegis.auth.jwt.secret", "hunter2-short"), "aegis.auth.jwt.secret",
                "aegis.auth.jwt.secret='****' (secret: 104 bits (expected: at least 256 bits for HS256))");
        assertRefused(Map.of("aegis.auth.jwt.secret", "base64:aHVudGVyMg=="), "aegis.auth.jwt.secret",
                "aegis.auth.jwt.secret='****' (secret: 56 bits (expected: at least 256 bits for HS256))");
        Path file = dir.resolve("secret");
        Files.writeString(file, "hunter2");
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.auth.jwt.secret-file", file.toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("aegis.auth.jwt.secret-file='****' (secret: 56 bits (expected: at least 256 bits for HS256))")
                .hasMessageNotContaining("hunter2");
        assertThat(new ConfigException("aegis.redis.password", "p4ss", "expected: something"))
                .hasMessage("aegis.redis.password='****' (expected: something)");
        assertThat(new ConfigException("aegis.apikeys.pepper", "p4ss", "x")).hasMessage("aegis.apikeys.pepper='****' (x)");
        assertThat(new ConfigException("aegis.ops.token", "p4ss", "x")).hasMessage("aegis.ops.token='****' (x)");
        assertThat(new ConfigException("aegis.apikeys.api-key", "p4ss", "x")).hasMessage("aegis.apikeys.api-key='****' (x)");
        assertThat(new ConfigException("aegis.ratelimit.api-key-header", "X-Key", "x"))
                .hasMessage("aegis.ratelimit.api-key-header='X-Key' (x)");
    }

    @Test
    void twoKeySourcesAreAnErrorNamingBoth() {
        assertRefused(Map.of("aegis.auth.jwt.jwks-uri", "https://idp.test/jwks", "aegis.auth.jwt.secret", "x".repeat(32)),
                "aegis.auth.jwt.secret", "aegis.auth.jwt.secret (expected: one verification key source, but "
                        + "aegis.auth.jwt.jwks-uri and aegis.auth.jwt.secret are all set)");
        assertRefused(Map.of("aegis.auth.jwt.jwks-uri", "https://idp.test/jwks",
                        "mp.jwt.verify.publickey.location", "https://idp.test/other"),
                "mp.jwt.verify.publickey.location", "mp.jwt.verify.publickey.location (expected: one verification key "
                        + "source, but aegis.auth.jwt.jwks-uri and mp.jwt.verify.publickey.location are all set)");
    }
}
