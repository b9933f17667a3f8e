package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.testing.LocalRedis;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The demo with {@code aegis.ratelimit.backend=redis} (what {@code AEGIS_RATELIMIT_BACKEND=redis}
 * sets) against the real local Redis: two instances of the service, as two replicas, share one
 * limit.
 */
class UserServiceRedisIT {

    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    static UserServiceApp start(String env) throws Exception {
        Map<String, String> cfg = Map.of(
                "aegis.service.name", "user-service",
                "aegis.service.environment", env,
                "aegis.http.port", "0",
                "aegis.dev.token-issuer.enabled", "true",
                "aegis.auth.jwt.issuer", "http://localhost/dev",
                "aegis.ratelimit.backend", "redis",
                "aegis.redis.uri", LocalRedis.URI,
                "aegis.redis.command-timeout", "2s",
                "aegis.ratelimit.tiers.free.limits", "4/1h");
        UserServiceApp app = UserServiceApp.start(() -> AegisConfig.ofMap(cfg));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Boolean.TRUE.equals(app.gateway().traffic().redisAvailable())) {
            assertThat(System.nanoTime()).as("Redis available").isLessThan(deadline);
            Thread.sleep(10);
        }
        return app;
    }

    static HttpResponse<String> get(UserServiceApp app, String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoInstancesShareOneLimitInRedis() throws Exception {
        LocalRedis.require();
        String env = LocalRedis.uniqueNamespace("demo");
        try (UserServiceApp one = start(env); UserServiceApp two = start(env)) {
            // Both instances sign with their own development key; each token is verified by its own instance.
            String t1 = token(one);
            String t2 = token(two);
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> r = i % 2 == 0 ? get(one, "/api/v1/users/u-1001", t1) : get(two, "/api/v1/users/u-1001", t2);
                if (r.statusCode() == 200) {
                    ok++;
                    assertThat(r.headers().firstValue("RateLimit-Policy")).hasValue("\"free-1h\";q=4;w=3600");
                } else {
                    assertThat(r.statusCode()).isEqualTo(429);
                    assertThat(r.headers().firstValue("Retry-After")).isPresent();
                    limited++;
                }
            }
            assertThat(ok).as("one limit for both replicas").isEqualTo(4);
            assertThat(limited).isEqualTo(6);
            LocalRedis.command(6379, "DEL", "aegis:rl:user-service:" + env + "|default|u:demo-user");
        }
    }

    @Test
    void emergencyModeSetThroughOneInstanceReachesTheOther() throws Exception {
        LocalRedis.require();
        String env = LocalRedis.uniqueNamespace("demo-emergency");
        try (UserServiceApp one = start(env); UserServiceApp two = start(env)) {
            String admin1 = token(one, "ops", "aegis:admin&tier=enterprise");
            String admin2 = token(two, "oncall", "aegis:admin&tier=enterprise");
            HttpResponse<String> entered = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + one.port() + "/admin/traffic/emergency"))
                    .header("Authorization", "Bearer " + admin1).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"factor\":0.5,\"reason\":\"incident 7\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(entered.statusCode()).isEqualTo(200);
            // The other instance follows within the share interval (1 s), and scales its limits.
            com.fasterxml.jackson.databind.JsonNode state = awaitEmergency(two, admin2, true);
            assertThat(state.path("reason").asText()).isEqualTo("incident 7");
            assertThat(state.path("actor").asText()).isEqualTo("ops");
            assertThat(get(two, "/api/v1/users/u-1001", token(two, "demo-user", "users:read")).headers()
                    .firstValue("RateLimit-Policy")).hasValue("\"free-1h\";q=2;w=3600");
            // Leaving through the other instance ends it for both.
            HttpResponse<String> left = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + two.port() + "/admin/traffic/emergency?reason=resolved"))
                    .header("Authorization", "Bearer " + admin2).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(left.statusCode()).isEqualTo(200);
            awaitEmergency(one, admin1, false);
        }
    }

    static com.fasterxml.jackson.databind.JsonNode awaitEmergency(UserServiceApp app, String admin, boolean active)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            HttpResponse<String> r = get(app, "/admin/traffic", admin);
            assertThat(r.statusCode()).isEqualTo(200);
            com.fasterxml.jackson.databind.JsonNode e = json.readTree(r.body()).path("emergency");
            if (e.path("active").asBoolean() == active) {
                return e;
            }
            assertThat(System.nanoTime()).as("emergency mode active=" + active + " on port " + app.port()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    static String token(UserServiceApp app) throws Exception {
        return token(app, "demo-user", "users:read");
    }

    static String token(UserServiceApp app, String subject, String scope) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/dev/token?sub=" + subject + "&scope=" + scope))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body()).get("access_token").asText();
    }
}
