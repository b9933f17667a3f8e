package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The black-box contract of examples/README.md, exactly as an outside check drives it: the
 * packaged jar started with {@code java -jar} and configured by environment variables only.
 * Runs after {@code package} (failsafe).
 */
class UserServiceJarIT {

    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void environmentVariablesConfigureTheJar() throws Exception {
        Path jar = Path.of("target", "user-service.jar");
        assertThat(jar).exists();
        TestKeys.SigningKey key = TestKeys.rsa("contract");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        try (JwksServer jwks = new JwksServer(TestKeys.jwks(key))) {
            ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", jar.toString());
            pb.environment().put("AEGIS_HTTP_PORT", Integer.toString(port));
            pb.environment().put("AEGIS_AUTH_JWT_ISSUER", Tokens.ISSUER);
            pb.environment().put("AEGIS_AUTH_JWT_AUDIENCES", "someone-else," + Tokens.AUDIENCE);
            pb.environment().put("AEGIS_AUTH_JWT_JWKS_URI", jwks.uri().toString());
            pb.environment().put("AEGIS_RATELIMIT_TIERS_FREE_LIMITS", "2/1m");
            pb.environment().put("AEGIS_RATELIMIT_TIERS_PREMIUM_LIMITS", "5/1s,100/1m");
            File log = Files.createTempFile("user-service", ".log").toFile();
            pb.redirectErrorStream(true).redirectOutput(log);
            Process p = pb.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitReady(base, p, log);

                // The development issuer is off when a JWKS URI is set.
                HttpResponse<String> dev = http.send(HttpRequest.newBuilder(base.resolve("/dev/token"))
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(dev.statusCode()).isEqualTo(404);

                String free = Tokens.mint(key).claim("sub", "free-user").scopes("users:read").sign();
                assertThat(get(base, "/api/v1/users/u-1001", free).statusCode()).isEqualTo(200);
                HttpResponse<String> second = get(base, "/api/v1/users/u-1001", free);
                assertThat(second.statusCode()).isEqualTo(200);
                assertThat(second.headers().firstValue("RateLimit-Policy")).hasValue("\"free-1m\";q=2;w=60");
                HttpResponse<String> third = get(base, "/api/v1/users/u-1001", free);
                assertThat(third.statusCode()).isEqualTo(429);
                assertThat(third.headers().firstValue("Retry-After")).isPresent();

                String premium = Tokens.mint(key).claim("sub", "premium-user").claim("tier", "premium").scopes("users:read").sign();
                assertThat(get(base, "/api/v1/users/u-1001", premium).headers().firstValue("RateLimit-Policy"))
                        .hasValue("\"premium-1s\";q=5;w=1, \"premium-1m\";q=100;w=60");

                // E-mail and phone are masked unless the token has pii:read.
                assertThat(get(base, "/api/v1/users/u-1003", premium).body())
                        .contains("\"email\":\"m*****.k**@example.kr\"").contains("\"phone\":\"010-****-6789\"")
                        .doesNotContain("minjun.kim");
                String pii = Tokens.mint(key).claim("sub", "premium-user").claim("tier", "premium")
                        .scopes("users:read", "pii:read").sign();
                assertThat(get(base, "/api/v1/users/u-1003", pii).body()).contains("\"email\":\"minjun.kim@example.kr\"");

                // Only tokens of the configured issuer and audience count.
                String otherIssuer = Tokens.mint(key).claim("iss", "https://evil.test").scopes("users:read").sign();
                assertThat(get(base, "/api/v1/users/u-1001", otherIssuer).statusCode()).isEqualTo(401);
                String otherAudience = Tokens.mint(key).claim("aud", "another-api").scopes("users:read").sign();
                assertThat(get(base, "/api/v1/users/u-1001", otherAudience).statusCode()).isEqualTo(401);
                String forged = Tokens.mint(TestKeys.rsa("contract")).scopes("users:read").sign();
                assertThat(get(base, "/api/v1/users/u-1001", forged).statusCode()).isEqualTo(401);

                // The keys CLI of the same jar, against the running service, with an admin token.
                String admin = Tokens.mint(key).claim("sub", "ops").scopes("aegis:admin").sign();
                ProcessBuilder cli = new ProcessBuilder(javaBin(), "-jar", jar.toString(), "keys", "create",
                        "--owner", "partner-9", "--scopes", "users:read", "--url", base.toString(), "--token", admin);
                cli.redirectErrorStream(true);
                Process c = cli.start();
                String out = new String(c.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(c.waitFor()).as(out).isZero();
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"secret\" : \"(aegis_test_[0-9A-Za-z]+)\"").matcher(out);
                assertThat(m.find()).as(out).isTrue();
                HttpResponse<String> withKey = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/users/u-1001"))
                        .header("X-API-Key", m.group(1)).GET().build(), HttpResponse.BodyHandlers.ofString());
                assertThat(withKey.statusCode()).isEqualTo(200);
                // The WAF is on by default (block mode, paranoia level 1), before authentication.
                HttpResponse<String> attack = http.send(HttpRequest.newBuilder(
                        base.resolve("/api/v1/users?search=%27%20or%20%271%27%3D%271")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(attack.statusCode()).isEqualTo(403);
                assertThat(attack.body()).contains("request-blocked").contains("incident");
            } finally {
                p.destroy();
                p.waitFor();
            }
        }
    }

    private static HttpResponse<String> get(URI base, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitReady(URI base, Process p, File log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!p.isAlive()) {
                throw new AssertionError("user-service exited: " + Files.readString(log.toPath()));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("user-service not ready within 60 s: " + Files.readString(log.toPath()));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void wafModeAndParanoiaLevelComeFromTheEnvironment() throws Exception {
        Path jar = Path.of("target", "user-service.jar");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", jar.toString());
        pb.environment().put("AEGIS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("AEGIS_WAF_MODE", "detect");
        pb.environment().put("AEGIS_WAF_PARANOIA_LEVEL", "2");
        File log = Files.createTempFile("user-service-waf", ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        Process p = pb.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port);
            awaitReady(base, p, log);
            // detect mode: the attack is recorded, not blocked, and meets authentication (401)
            HttpResponse<String> attack = http.send(HttpRequest.newBuilder(
                    base.resolve("/api/v1/users?search=%27%20or%20%271%27%3D%271")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(attack.statusCode()).isEqualTo(401);
            String output = Files.readString(log.toPath());
            assertThat(output).contains("\"type\":\"waf.detect\"").contains("\"paranoia\":2")
                    .doesNotContain("1'='1");
        } finally {
            p.destroy();
            p.waitFor();
        }
    }
}
