package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.config.AegisConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo's two API versions over real HTTP, in process, with the development token issuer. */
class UserServiceVersioningIT {

    static final String GUIDE = "https://github.com/aegis/aegis-gateway/blob/main/docs/migrations/user-service-v1-to-v2.md";
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
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/dev/token?" + query))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body()).get("access_token").asText();
    }

    static HttpResponse<String> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET().header("Authorization", "Bearer " + token);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void versionTwoSplitsTheName() throws Exception {
        String t = token("sub=v2-reader&scope=users:read");
        HttpResponse<String> r = get("/api/v2/users/u-1001", t);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode u = json.readTree(r.body());
        assertThat(u.get("givenName").asText()).isEqualTo("Ada");
        assertThat(u.get("familyName").asText()).isEqualTo("Lovelace");
        assertThat(u.has("name")).isFalse();
        assertThat(r.headers().firstValue("Api-Version")).hasValue("v2");
        assertThat(r.headers().firstValue("Deprecation")).isEmpty();
        assertThat(r.headers().firstValue("Sunset")).isEmpty();

        JsonNode kim = json.readTree(get("/api/v2/users/u-1003", t).body());
        assertThat(kim.get("familyName").asText()).isEqualTo("김");
        assertThat(kim.get("givenName").asText()).isEqualTo("민준");

        JsonNode found = json.readTree(get("/api/v2/users?search=o%27brien", t).body());
        assertThat(found.get("count").asInt()).isEqualTo(1);
        assertThat(found.get("users").get(0).get("givenName").asText()).isEqualTo("Seán");
        assertThat(found.get("users").get(0).get("familyName").asText()).isEqualTo("O'Brien");
    }

    @Test
    void versionOneKeepsTheNameAndSaysItIsDeprecated() throws Exception {
        HttpResponse<String> r = get("/api/v1/users/u-1001", token("sub=v1-reader&scope=users:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode u = json.readTree(r.body());
        assertThat(u.get("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(u.has("givenName")).isFalse();
        assertThat(r.headers().firstValue("Api-Version")).hasValue("v1");
        assertThat(r.headers().firstValue("Deprecation"))
                .hasValue("@" + Instant.parse("2025-06-01T00:00:00Z").getEpochSecond());
        assertThat(r.headers().firstValue("Sunset")).hasValue("Fri, 31 Dec 2027 00:00:00 GMT");
        assertThat(r.headers().allValues("Link")).containsExactlyInAnyOrder(
                "<" + GUIDE + ">; rel=\"deprecation\"", "<../../v2/users/u-1001>; rel=\"successor-version\"");
        assertThat(r.uri().resolve("../../v2/users/u-1001").getPath()).isEqualTo("/api/v2/users/u-1001");
    }

    @Test
    void theVersionMayComeFromAHeaderOrTheMediaTypeAndDefaultsToTwo() throws Exception {
        String t = token("sub=header-reader&scope=users:read");
        JsonNode byDefault = json.readTree(get("/api/users/u-1002", t).body());
        assertThat(byDefault.get("givenName").asText()).isEqualTo("Grace");
        HttpResponse<String> byHeader = get("/api/users/u-1002", t, "Api-Version", "1");
        assertThat(json.readTree(byHeader.body()).get("name").asText()).isEqualTo("Grace Hopper");
        assertThat(byHeader.headers().firstValue("Deprecation")).isPresent();
        HttpResponse<String> byMediaType = get("/api/users/u-1002", t, "Accept",
                "application/vnd.aegis+json; version=1, application/json"); // the resources produce application/json
        assertThat(json.readTree(byMediaType.body()).get("name").asText()).isEqualTo("Grace Hopper");
        HttpResponse<String> unknown = get("/api/v3/users/u-1002", t);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("version-not-found", "\"supported_versions\":[\"v1\",\"v2\"]");
    }

    @Test
    void versionTwoCreatesWithGivenAndFamilyName() throws Exception {
        String t = token("sub=writer&scope=users:read%20users:write");
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/api/v2/users"))
                .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"givenName\":\"Mary Ann\",\"familyName\":\"Evans\",\"email\":\"mary.ann.evans@example.org\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        assertThat(location).contains("/api/v2/users/u-");
        String id = location.substring(location.lastIndexOf('/') + 1);
        assertThat(json.readTree(get("/api/v1/users/" + id, t).body()).get("name").asText()).isEqualTo("Mary Ann Evans");
        JsonNode v2 = json.readTree(get("/api/v2/users/" + id, t).body());
        assertThat(v2.get("givenName").asText()).isEqualTo("Mary Ann");
        assertThat(v2.get("familyName").asText()).isEqualTo("Evans");

        HttpResponse<String> oldShape = http.send(HttpRequest.newBuilder(base.resolve("/api/v2/users"))
                .header("Authorization", "Bearer " + t).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Old Shape\",\"email\":\"old.shape@example.org\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(oldShape.statusCode()).isEqualTo(400);
        assertThat(oldShape.body()).contains("name: not in version 2");
    }

    @Test
    void operatorsSeeWhoStillCallsVersionOne() throws Exception {
        get("/api/v1/users/u-1004", token("sub=legacy-app&scope=users:read"));
        HttpResponse<String> denied = get("/admin/versions/usage", token("sub=someone&scope=users:read"));
        assertThat(denied.statusCode()).isEqualTo(403);
        HttpResponse<String> report = get("/admin/versions/usage", token("sub=ops&scope=aegis:admin"));
        assertThat(report.statusCode()).isEqualTo(200);
        JsonNode r = json.readTree(report.body());
        assertThat(r.get("defaultVersion").asText()).isEqualTo("v2");
        boolean found = false;
        for (JsonNode c : r.get("clients")) {
            assertThat(c.get("version").asText()).isEqualTo("v1");
            if (c.get("client").asText().equals("sub:legacy-app")) {
                found = true;
                assertThat(c.get("routes").get("GET /api/v1/users/{id}").asLong()).isPositive();
                assertThat(Instant.parse(c.get("lastSeen").asText())).isBefore(Instant.now().plusSeconds(1));
            }
        }
        assertThat(found).isTrue();
    }
}
