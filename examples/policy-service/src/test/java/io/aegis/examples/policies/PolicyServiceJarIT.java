package io.aegis.examples.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.examples.support.testing.RunningJar;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The black-box contract of examples/README.md, exactly as an outside check drives it: the
 * packaged jar started with {@code java -jar} and configured by environment variables only.
 * Runs after {@code package} (failsafe).
 */
class PolicyServiceJarIT {

    @Test
    void environmentVariablesConfigureTheJar() throws Exception {
        TestKeys.SigningKey key = TestKeys.rsa("contract");
        try (JwksServer jwks = new JwksServer(TestKeys.jwks(key));
             RunningJar jar = RunningJar.start("policy-service", Map.of(
                     "AEGIS_AUTH_JWT_ISSUER", Tokens.ISSUER,
                     "AEGIS_AUTH_JWT_AUDIENCES", "someone-else," + Tokens.AUDIENCE,
                     "AEGIS_AUTH_JWT_JWKS_URI", jwks.uri().toString(),
                     "AEGIS_RATELIMIT_TIERS_FREE_LIMITS", "2/1m",
                     "AEGIS_RATELIMIT_TIERS_PREMIUM_LIMITS", "5/1s,100/1m"))) {

            // The development issuer is off when a JWKS URI is set.
            HttpResponse<String> dev = jar.send(HttpRequest.newBuilder(jar.base().resolve("/dev/token"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(dev.statusCode()).isEqualTo(404);

            String free = Tokens.mint(key).claim("sub", "free-user").scopes("policies:read").sign();
            assertThat(jar.get("/api/v1/policies?owner=u-1001", free).statusCode()).isEqualTo(200);
            HttpResponse<String> second = jar.get("/api/v1/policies?owner=u-1001", free);
            assertThat(second.statusCode()).isEqualTo(200);
            assertThat(second.headers().firstValue("RateLimit-Policy")).hasValue("\"free-1m\";q=2;w=60");
            HttpResponse<String> third = jar.get("/api/v1/policies?owner=u-1001", free);
            assertThat(third.statusCode()).isEqualTo(429);
            assertThat(third.headers().firstValue("Retry-After")).isPresent();

            String premium = Tokens.mint(key).claim("sub", "premium-user").claim("tier", "premium").scopes("policies:read").sign();
            assertThat(jar.get("/api/v1/policies?owner=u-1001", premium).headers().firstValue("RateLimit-Policy"))
                    .hasValue("\"premium-1s\";q=5;w=1, \"premium-1m\";q=100;w=60");

            // Only tokens of the configured issuer and audience count.
            String otherIssuer = Tokens.mint(key).claim("iss", "https://evil.test").scopes("policies:read").sign();
            assertThat(jar.get("/api/v1/policies?owner=u-1001", otherIssuer).statusCode()).isEqualTo(401);
            String otherAudience = Tokens.mint(key).claim("aud", "another-api").scopes("policies:read").sign();
            assertThat(jar.get("/api/v1/policies?owner=u-1001", otherAudience).statusCode()).isEqualTo(401);
            String forged = Tokens.mint(TestKeys.rsa("contract")).scopes("policies:read").sign();
            assertThat(jar.get("/api/v1/policies?owner=u-1001", forged).statusCode()).isEqualTo(401);
        }
    }
}
