package io.aegis.examples.support.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Test fixture: the part of examples/README.md's black-box contract that every example service
 * keeps alike — JWT keys from a JWKS URI, issuer and audiences, and tier limits, all from
 * environment variables — checked against a {@link RunningJar} on one protected path.
 */
public final class JarContract {

    private JarContract() {
    }

    /** The environment the contract sets: keys from {@code jwks}, free 2/1m, premium 5/1s and 100/1m. */
    public static Map<String, String> environment(JwksServer jwks) {
        return Map.of(
                "AEGIS_AUTH_JWT_ISSUER", Tokens.ISSUER,
                "AEGIS_AUTH_JWT_AUDIENCES", "someone-else," + Tokens.AUDIENCE,
                "AEGIS_AUTH_JWT_JWKS_URI", jwks.uri().toString(),
                "AEGIS_RATELIMIT_TIERS_FREE_LIMITS", "2/1m",
                "AEGIS_RATELIMIT_TIERS_PREMIUM_LIMITS", "5/1s,100/1m");
    }

    /**
     * Checks the contract on {@code path} (which {@code scope} reads): no development issuer beside a
     * JWKS URI; the free tier's limit and its headers, the premium tier's headers (one call of the
     * subject {@code premium-user}); and that only tokens of the configured issuer, audience and keys count.
     */
    public static void check(RunningJar jar, TestKeys.SigningKey key, String path, String scope) throws Exception {
        HttpResponse<String> dev = jar.send(HttpRequest.newBuilder(jar.base().resolve("/dev/token"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(dev.statusCode()).as("the development issuer is off when a JWKS URI is set").isEqualTo(404);

        String free = Tokens.mint(key).claim("sub", "free-user").scopes(scope).sign();
        assertThat(jar.get(path, free).statusCode()).isEqualTo(200);
        HttpResponse<String> second = jar.get(path, free);
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("RateLimit-Policy")).hasValue("\"free-1m\";q=2;w=60");
        HttpResponse<String> third = jar.get(path, free);
        assertThat(third.statusCode()).isEqualTo(429);
        assertThat(third.headers().firstValue("Retry-After")).isPresent();

        String premium = Tokens.mint(key).claim("sub", "premium-user").claim("tier", "premium").scopes(scope).sign();
        assertThat(jar.get(path, premium).headers().firstValue("RateLimit-Policy"))
                .hasValue("\"premium-1s\";q=5;w=1, \"premium-1m\";q=100;w=60");

        String otherIssuer = Tokens.mint(key).claim("iss", "https://evil.test").scopes(scope).sign();
        assertThat(jar.get(path, otherIssuer).statusCode()).as("another issuer").isEqualTo(401);
        String otherAudience = Tokens.mint(key).claim("aud", "another-api").scopes(scope).sign();
        assertThat(jar.get(path, otherAudience).statusCode()).as("another audience").isEqualTo(401);
        String forged = Tokens.mint(TestKeys.rsa("contract")).scopes(scope).sign();
        assertThat(jar.get(path, forged).statusCode()).as("another key").isEqualTo(401);
    }
}
