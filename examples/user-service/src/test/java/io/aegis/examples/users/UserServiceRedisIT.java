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

    static String token(UserServiceApp app) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/dev/token?sub=demo-user&scope=users:read"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body()).get("access_token").asText();
    }
}
