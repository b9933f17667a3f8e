package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.config.AegisConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo over real HTTP, in process, with the development token issuer. */
class UserServiceIT {

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
                "aegis.ratelimit.tiers.free.limits", "1000/1m");
        app = UserServiceApp.start(() -> AegisConfig.ofMap(cfg));
        base = URI.create("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String token(String query) throws Exception {
        return token(base, query);
    }

    static String token(URI base, String query) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/dev/token?" + query))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body()).get("access_token").asText();
    }

    static HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readUserWithDevToken() throws Exception {
        HttpResponse<String> r = get("/api/v1/users/u-1003", token("scope=users:read%20pii:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode u = json.readTree(r.body());
        assertThat(u.get("name").asText()).isEqualTo("김민준");
        assertThat(u.get("email").asText()).isEqualTo("minjun.kim@example.kr");
        assertThat(u.get("phone").asText()).isEqualTo("010-2345-6789");
    }

    @Test
    void emailAndPhoneAreMaskedWithoutPiiRead() throws Exception {
        HttpResponse<String> r = get("/api/v1/users/u-1003", token("scope=users:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode u = json.readTree(r.body());
        assertThat(u.get("name").asText()).isEqualTo("김민준");
        assertThat(u.get("email").asText()).isEqualTo("m*****.k**@example.kr");
        assertThat(u.get("phone").asText()).isEqualTo("010-****-6789");
        assertThat(u.get("city").asText()).isEqualTo("서울");

        HttpResponse<String> search = get("/api/v1/users?search=example.kr", token("scope=users:read"));
        JsonNode found = json.readTree(search.body());
        assertThat(found.get("count").asInt()).isEqualTo(3);
        assertThat(search.body()).doesNotContain("minjun.kim").doesNotContain("seoyeon.lee").doesNotContain("9876");
        assertThat(found.get("users").get(1).get("phone").asText()).isEqualTo("+82 ** **** 5432");
        assertThat(found.get("users").get(2).get("phone").asText()).isEqualTo("02-***-0123");
    }

    @Test
    void createdUserIsMaskedInTheResponse() throws Exception {
        String body = "{\"name\":\"Masked Person\",\"email\":\"masked.person@example.com\",\"phone\":\"010-1111-2222\"}";
        HttpResponse<String> created = post("/api/v1/users", token("scope=users:write"), body);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode u = json.readTree(created.body());
        assertThat(u.get("email").asText()).isEqualTo("m*****.p*****@example.com");
        assertThat(u.get("phone").asText()).isEqualTo("010-****-2222");
        String id = u.get("id").asText();
        JsonNode clear = json.readTree(get("/api/v1/users/" + id, token("scope=users:read%20pii:read")).body());
        assertThat(clear.get("email").asText()).isEqualTo("masked.person@example.com");
    }

    @Test
    void searchUsers() throws Exception {
        HttpResponse<String> r = get("/api/v1/users?search=o%27brien", token("scope=users:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json.readTree(r.body()).get("count").asInt()).isEqualTo(1);
    }

    @Test
    void unknownUserIs404Problem() throws Exception {
        HttpResponse<String> r = get("/api/v1/users/u-9", token("scope=users:read"));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void writingNeedsUsersWrite() throws Exception {
        String body = "{\"name\":\"Test Person\",\"email\":\"test.person@example.com\",\"phone\":\"+82 10 1234 5678\"}";
        assertThat(post("/api/v1/users", token("scope=users:read"), body).statusCode()).isEqualTo(403);
        HttpResponse<String> created = post("/api/v1/users", token("scope=users:write"), body);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/api/v1/users/u-"));
        assertThat(post("/api/v1/users", token("scope=users:write"), body).statusCode()).isEqualTo(409);
        HttpResponse<String> invalid = post("/api/v1/users", token("scope=users:write"), "{\"name\":\"x\",\"email\":\"nope\"}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).contains("validation-failed").doesNotContain("Exception");
        assertThat(post("/api/v1/users", token("scope=users:write"), "{\"name\":").statusCode()).isEqualTo(400);
    }

    @Test
    void healthEndpointsArePublic() throws Exception {
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json.readTree(ready.body()).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void apiNeedsAToken() throws Exception {
        HttpResponse<String> r = get("/api/v1/users/u-1001", null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"user-service\"");
    }
}
