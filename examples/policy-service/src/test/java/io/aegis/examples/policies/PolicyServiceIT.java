package io.aegis.examples.policies;

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

/** The policy-service over real HTTP, in process, with the development token issuer. */
class PolicyServiceIT {

    static PolicyServiceApp app;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        app = PolicyServiceApp.start(() -> AegisConfig.ofMap(Map.of("aegis.service.name", "policy-service",
                "aegis.http.port", "0", "aegis.dev.token-issuer.enabled", "true",
                "aegis.ratelimit.tiers.free.limits", "1000/1m")));
        base = URI.create("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static String token(String scope) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/dev/token?scope=" + scope.replace(" ", "%20")))
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

    static HttpResponse<String> post(String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("/api/v1/policies")).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readsPoliciesByIdAndOwner() throws Exception {
        String t = token("policies:read");
        HttpResponse<String> byOwner = get("/api/v1/policies?owner=u-1003", t);
        assertThat(byOwner.statusCode()).isEqualTo(200);
        JsonNode list = json.readTree(byOwner.body());
        assertThat(list.path("count").asInt()).isEqualTo(2);
        assertThat(list.path("policies").findValuesAsText("title")).contains("자동차 종합보험");
        String id = list.path("policies").get(0).path("id").asText();
        assertThat(json.readTree(get("/api/v1/policies/" + id, t).body()).path("owner").asText()).isEqualTo("u-1003");
        assertThat(get("/api/v1/policies/p-1", t).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/policies?owner=x%27%20or%201=1", t).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/policies?owner=u-1010", t).body()).contains("\"count\":0");
    }

    @Test
    void scopesAreEnforced() throws Exception {
        assertThat(get("/api/v1/policies?owner=u-1001", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/policies?owner=u-1001", token("users:read")).statusCode()).isEqualTo(403);
        assertThat(post(token("policies:read"), "{}").statusCode()).isEqualTo(403);
    }

    @Test
    void createsValidatedPolicyDocuments() throws Exception {
        String t = token("policies:read policies:write");
        HttpResponse<String> created = post(t, "{\"owner\":\"u-1004\",\"product\":\"travel\",\"title\":\"부산-오사카 여행\","
                + "\"coverage\":20000000,\"monthlyPremium\":9900,\"currency\":\"KRW\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).contains("/api/v1/policies/p-"));
        assertThat(get("/api/v1/policies?owner=u-1004", t).body()).contains("부산-오사카 여행");
        for (String bad : new String[] {"{\"owner\":\"u-1\",\"product\":\"pets\",\"title\":\"x\",\"coverage\":1,\"monthlyPremium\":1,\"currency\":\"EUR\"}",
                "{\"owner\":\"u-1\",\"product\":\"home\",\"title\":\"x\",\"coverage\":-5,\"monthlyPremium\":1,\"currency\":\"EUR\"}",
                "{\"owner\":\"u-1\",\"product\":\"home\",\"title\":\"x\",\"coverage\":\"5\",\"monthlyPremium\":1,\"currency\":\"EUR\"}",
                "{\"owner\":\"bob\",\"product\":\"home\",\"title\":\"x\",\"coverage\":5,\"monthlyPremium\":1,\"currency\":\"EUR\"}",
                "{\"owner\":\"u-1\",\"product\":\"home\",\"title\":\"x\",\"coverage\":5,\"monthlyPremium\":1,\"currency\":\"euro\"}",
                "[1,2]", "not json"}) {
            HttpResponse<String> r = post(t, bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(bad).hasValue("application/problem+json");
        }
    }
}
