package io.aegis.examples.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.io.File;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar started with {@code java -jar} and configured by environment variables only,
 * including the upstream targets: {@code AEGIS_UPSTREAMS_USER_SERVICE_TARGETS} must reach the
 * upstream named {@code user-service}. Runs after {@code package} (failsafe).
 */
class RecommendationServiceJarIT {

    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void environmentVariablesConfigureTheJarAndItsUpstreams() throws Exception {
        Path jar = Path.of("target", "recommendation-service.jar");
        assertThat(jar).exists();
        TestKeys.SigningKey key = TestKeys.rsa("contract");
        int port = freePort();
        int deadPort = freePort();
        List<String> seenAuthorization = new CopyOnWriteArrayList<>();
        List<String> seenDeadline = new CopyOnWriteArrayList<>();
        HttpServer users = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        users.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/api/")) { // not the active health checks
                seenAuthorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                seenDeadline.add(String.valueOf(exchange.getRequestHeaders().getFirst("Aegis-Deadline-Ms")));
            }
            byte[] body = ("/api/v1/users/u-1001".equals(path)
                    ? "{\"id\":\"u-1001\",\"name\":\"Fake Ada\",\"city\":\"Testville\"}"
                    : "{\"status\":200}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        users.start();
        try (JwksServer jwks = new JwksServer(TestKeys.jwks(key))) {
            ProcessBuilder pb = new ProcessBuilder(javaBin(), "-jar", jar.toString());
            pb.environment().put("AEGIS_HTTP_PORT", Integer.toString(port));
            pb.environment().put("AEGIS_AUTH_JWT_ISSUER", Tokens.ISSUER);
            pb.environment().put("AEGIS_AUTH_JWT_AUDIENCES", Tokens.AUDIENCE);
            pb.environment().put("AEGIS_AUTH_JWT_JWKS_URI", jwks.uri().toString());
            pb.environment().put("AEGIS_RATELIMIT_TIERS_FREE_LIMITS", "3/1m");
            pb.environment().put("AEGIS_UPSTREAMS_USER_SERVICE_TARGETS", "127.0.0.1:" + users.getAddress().getPort() + ";2");
            pb.environment().put("AEGIS_UPSTREAMS_POLICY_SERVICE_TARGETS", "127.0.0.1:" + deadPort);
            File log = Files.createTempFile("recommendation-service", ".log").toFile();
            pb.redirectErrorStream(true).redirectOutput(log);
            Process p = pb.start();
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                awaitReady(base, p, log);

                String token = Tokens.mint(key).claim("sub", "caller").scopes("recommendations:read", "users:read").sign();
                HttpResponse<String> r = get(base, "/api/v1/recommendations/u-1001", token);
                assertThat(r.statusCode()).as(Files.readString(log.toPath())).isEqualTo(200);
                assertThat(r.body()).contains("Fake Ada").contains("\"degraded\":[\"policy\"]");
                assertThat(r.headers().firstValue("Aegis-Degraded")).hasValue("policy");
                // the caller's token went to the user-service, with the remaining deadline
                assertThat(seenAuthorization).contains("Bearer " + token);
                assertThat(seenDeadline).allSatisfy(d -> assertThat(Long.parseLong(d)).isBetween(1L, 2000L));

                assertThat(get(base, "/api/v1/recommendations/u-1001", token).statusCode()).isEqualTo(200);
                HttpResponse<String> limited = get(base, "/api/v1/recommendations/u-1001", token);
                assertThat(limited.statusCode()).isEqualTo(200);
                assertThat(limited.headers().firstValue("RateLimit-Policy")).hasValue("\"free-1m\";q=3;w=60");
                assertThat(get(base, "/api/v1/recommendations/u-1001", token).statusCode()).isEqualTo(429);

                String otherIssuer = Tokens.mint(key).claim("iss", "https://evil.test").scopes("recommendations:read").sign();
                assertThat(get(base, "/api/v1/recommendations/u-1001", otherIssuer).statusCode()).isEqualTo(401);
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/dev/token")).POST(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
            } finally {
                p.destroy();
                p.waitFor();
            }
        } finally {
            users.stop(0);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
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
                throw new AssertionError("recommendation-service exited: " + Files.readString(log.toPath()));
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
        throw new AssertionError("recommendation-service not ready within 60 s: " + Files.readString(log.toPath()));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
