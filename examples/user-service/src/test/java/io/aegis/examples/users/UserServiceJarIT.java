package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.examples.support.testing.JarContract;
import io.aegis.examples.support.testing.RunningJar;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The black-box contract of examples/README.md, exactly as an outside check drives it: the
 * packaged jar started with {@code java -jar} and configured by environment variables only.
 * Runs after {@code package} (failsafe).
 */
class UserServiceJarIT {

    @Test
    void environmentVariablesConfigureTheJar() throws Exception {
        TestKeys.SigningKey key = TestKeys.rsa("contract");
        try (JwksServer jwks = new JwksServer(TestKeys.jwks(key));
             RunningJar jar = RunningJar.start("user-service", JarContract.environment(jwks))) {
            JarContract.check(jar, key, "/api/v1/users/u-1001", "users:read");
            String premium = Tokens.mint(key).claim("sub", "premium-user").claim("tier", "premium").scopes("users:read").sign();

            // E-mail and phone are masked unless the token has pii:read.
            assertThat(jar.get("/api/v1/users/u-1003", premium).body())
                    .contains("\"email\":\"m*****.k**@example.kr\"").contains("\"phone\":\"010-****-6789\"")
                    .doesNotContain("minjun.kim");
            String pii = Tokens.mint(key).claim("sub", "premium-user").claim("tier", "premium")
                    .scopes("users:read", "pii:read").sign();
            assertThat(jar.get("/api/v1/users/u-1003", pii).body()).contains("\"email\":\"minjun.kim@example.kr\"");

            // The keys CLI of the same jar, against the running service, with an admin token.
            String admin = Tokens.mint(key).claim("sub", "ops").scopes("aegis:admin").sign();
            RunningJar.Result cli = RunningJar.run("user-service", "keys", "create", "--owner", "partner-9",
                    "--scopes", "users:read", "--url", jar.base().toString(), "--token", admin);
            assertThat(cli.exitStatus()).as(cli.output()).isZero();
            Matcher m = Pattern.compile("\"secret\" : \"(aegis_test_[0-9A-Za-z]+)\"").matcher(cli.output());
            assertThat(m.find()).as(cli.output()).isTrue();
            HttpResponse<String> withKey = jar.send(HttpRequest.newBuilder(jar.base().resolve("/api/v1/users/u-1001"))
                    .header("X-API-Key", m.group(1)).GET());
            assertThat(withKey.statusCode()).isEqualTo(200);

            // The WAF is on by default (block mode, paranoia level 1), before authentication.
            HttpResponse<String> attack = jar.get("/api/v1/users?search=%27%20or%20%271%27%3D%271", null);
            assertThat(attack.statusCode()).isEqualTo(403);
            assertThat(attack.body()).contains("request-blocked").contains("incident");
        }
    }

    @Test
    void wafModeAndParanoiaLevelComeFromTheEnvironment() throws Exception {
        try (RunningJar jar = RunningJar.start("user-service", Map.of(
                "AEGIS_WAF_MODE", "detect", "AEGIS_WAF_PARANOIA_LEVEL", "2"))) {
            // detect mode: the attack is recorded, not blocked, and meets authentication (401)
            HttpResponse<String> attack = jar.get("/api/v1/users?search=%27%20or%20%271%27%3D%271", null);
            assertThat(attack.statusCode()).isEqualTo(401);
            assertThat(jar.output()).contains("\"type\":\"waf.detect\"").contains("\"paranoia\":2")
                    .doesNotContain("1'='1");
        }
    }
}
