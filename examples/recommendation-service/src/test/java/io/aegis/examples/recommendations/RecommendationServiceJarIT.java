package io.aegis.examples.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.aegis.examples.support.testing.RunningJar;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar started with {@code java -jar} and configured by environment variables only,
 * including the upstream targets: {@code AEGIS_UPSTREAMS_USER_SERVICE_TARGETS} must reach the
 * upstream named {@code user-service}. Runs after {@code package} (failsafe).
 */
class RecommendationServiceJarIT {

    @Test
    void environmentVariablesConfigureTheJarAndItsUpstreams() throws Exception {
        TestKeys.SigningKey key = TestKeys.rsa("contract");
        int deadPort = RunningJar.freePort();
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
        try (JwksServer jwks = new JwksServer(TestKeys.jwks(key));
             RunningJar jar = RunningJar.start("recommendation-service", Map.of(
                     "AEGIS_AUTH_JWT_ISSUER", Tokens.ISSUER,
                     "AEGIS_AUTH_JWT_AUDIENCES", Tokens.AUDIENCE,
                     "AEGIS_AUTH_JWT_JWKS_URI", jwks.uri().toString(),
                     "AEGIS_RATELIMIT_TIERS_FREE_LIMITS", "3/1m",
                     "AEGIS_UPSTREAMS_USER_SERVICE_TARGETS", "127.0.0.1:" + users.getAddress().getPort() + ";2",
                     "AEGIS_UPSTREAMS_POLICY_SERVICE_TARGETS", "127.0.0.1:" + deadPort))) {
            String token = Tokens.mint(key).claim("sub", "caller").scopes("recommendations:read", "users:read").sign();
            HttpResponse<String> r = jar.get("/api/v1/recommendations/u-1001", token);
            assertThat(r.statusCode()).as(jar.output()).isEqualTo(200);
            assertThat(r.body()).contains("Fake Ada").contains("\"degraded\":[\"policy\"]");
            assertThat(r.headers().firstValue("Aegis-Degraded")).hasValue("policy");
            // the caller's token went to the user-service, with the remaining deadline
            assertThat(seenAuthorization).contains("Bearer " + token);
            assertThat(seenDeadline).allSatisfy(d -> assertThat(Long.parseLong(d)).isBetween(1L, 2000L));

            assertThat(jar.get("/api/v1/recommendations/u-1001", token).statusCode()).isEqualTo(200);
            HttpResponse<String> limited = jar.get("/api/v1/recommendations/u-1001", token);
            assertThat(limited.statusCode()).isEqualTo(200);
            assertThat(limited.headers().firstValue("RateLimit-Policy")).hasValue("\"free-1m\";q=3;w=60");
            assertThat(jar.get("/api/v1/recommendations/u-1001", token).statusCode()).isEqualTo(429);

            String otherIssuer = Tokens.mint(key).claim("iss", "https://evil.test").scopes("recommendations:read").sign();
            assertThat(jar.get("/api/v1/recommendations/u-1001", otherIssuer).statusCode()).isEqualTo(401);
            assertThat(jar.send(HttpRequest.newBuilder(jar.base().resolve("/dev/token")).POST(HttpRequest.BodyPublishers.noBody())).statusCode()).isEqualTo(404);
        } finally {
            users.stop(0);
        }
    }
}
