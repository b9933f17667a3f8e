package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.config.AegisConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's API-key walkthrough: the keys CLI against the running demo, then calls with X-API-Key. */
class ApiKeyDemoIT {

    static UserServiceApp app;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> cfg = Map.of(
                "aegis.service.name", "user-service",
                "aegis.http.port", "0",
                "aegis.dev.token-issuer.enabled", "true",
                "aegis.apikeys.enabled", "true");
        app = UserServiceApp.start(() -> AegisConfig.ofMap(cfg));
        base = URI.create("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    record Run(int status, String out, String err) {
    }

    static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = KeysCli.run(args, Map.of("AEGIS_HTTP_PORT", Integer.toString(app.port())),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(String path, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("X-API-Key", key).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void createAKeyWithTheCliAndCallTheApiWithIt() throws Exception {
        Run created = cli("create", "--owner", "partner-42", "--name", "demo", "--scopes", "users:read", "--tier", "premium");
        assertThat(created.status()).as(created.err()).isZero();
        JsonNode k = json.readTree(created.out());
        String secret = k.get("secret").asText();
        String id = k.get("id").asText();
        assertThat(secret).startsWith("aegis_test_");

        HttpResponse<String> user = get("/api/v1/users/u-1003", secret);
        assertThat(user.statusCode()).isEqualTo(200);
        assertThat(json.readTree(user.body()).get("name").asText()).isEqualTo("김민준");
        assertThat(user.headers().firstValue("RateLimit-Policy").orElseThrow()).startsWith("\"premium-");
        // The key grants users:read only.
        HttpResponse<String> write = http.send(HttpRequest.newBuilder(base.resolve("/api/v1/users")).header("X-API-Key", secret)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).isEqualTo(403);

        Run list = cli("list", "--owner", "partner-42");
        assertThat(json.readTree(list.out()).get("keys").get(0).get("id").asText()).isEqualTo(id);
        assertThat(list.out()).doesNotContain(secret);

        Run rotated = cli("rotate", id, "--grace", "0s");
        assertThat(rotated.status()).isZero();
        String next = json.readTree(rotated.out()).get("secret").asText();
        assertThat(get("/api/v1/users/u-1003", secret).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/users/u-1003", next).statusCode()).isEqualTo(200);

        app.gateway().apiKeys().flushUsage();
        Run usage = cli("usage", id);
        assertThat(json.readTree(usage.out()).get("requests").asLong()).isEqualTo(2);

        Run revoked = cli("revoke", json.readTree(rotated.out()).get("id").asText());
        assertThat(revoked.status()).isZero();
        HttpResponse<String> refused = get("/api/v1/users/u-1003", next);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("invalid-api-key");
        assertThat(cli("audit", id).out()).contains("\"rotated\"").contains("keys-cli");
    }

    @Test
    void cliErrorsAreReported() {
        assertThat(cli().status()).isEqualTo(2);
        assertThat(cli("create").status()).isEqualTo(2);
        assertThat(cli("show", "not-an-id").status()).isEqualTo(2);
        Run unknown = cli("show", "key_0000");
        assertThat(unknown.status()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 404");
        Run denied = cli("list", "--token", "not-a-token");
        assertThat(denied.status()).isEqualTo(1);
        assertThat(denied.err()).contains("HTTP 401").contains("invalid-token");
        Run down = KeysCli.run(new String[] {"list", "--url", "http://127.0.0.1:1"}, Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) == 1
                ? new Run(1, "", "") : new Run(0, "", "");
        assertThat(down.status()).isEqualTo(1);
    }
}
