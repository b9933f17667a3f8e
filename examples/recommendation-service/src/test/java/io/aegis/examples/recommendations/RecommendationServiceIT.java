package io.aegis.examples.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.examples.policies.PolicyServiceApp;
import io.aegis.examples.users.UserServiceApp;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.resilience.Deadline;
import io.aegis.gateway.resilience.Degradation;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The three services in process over real HTTP, trusting each other's development tokens through a
 * shared development secret: the recommendation-service forwards its caller's token to the other
 * two and degrades when one of them is down.
 */
class RecommendationServiceIT {

    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    final String secret = "it-" + UUID.randomUUID() + UUID.randomUUID();

    UserServiceApp users;
    PolicyServiceApp policies;
    RecommendationServiceApp recommendations;
    URI base;

    Map<String, String> config(String service) {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.service.name", service);
        m.put("aegis.http.port", "0");
        m.put("aegis.dev.token-issuer.enabled", "true");
        m.put("aegis.dev.token-issuer.shared-secret", secret);
        m.put("aegis.auth.jwt.issuer", "http://localhost/aegis-demo");
        m.put("aegis.auth.jwt.audiences", "aegis-demo");
        m.put("aegis.ratelimit.tiers.free.limits", "1000/1m");
        return m;
    }

    @BeforeEach
    void start() throws Exception {
        users = UserServiceApp.start(() -> AegisConfig.ofMap(config("user-service")));
        policies = PolicyServiceApp.start(() -> AegisConfig.ofMap(config("policy-service")));
        Map<String, String> rec = config("recommendation-service");
        rec.put("aegis.upstreams.user-service.targets", "127.0.0.1:" + users.port());
        rec.put("aegis.upstreams.policy-service.targets", "127.0.0.1:" + policies.port());
        rec.put("aegis.upstreams.policy-service.retry.backoff.initial", "5ms");
        rec.put("aegis.upstreams.policy-service.timeouts.per-try", "500ms");
        rec.put("aegis.upstreams.policy-service.timeouts.total", "1s");
        recommendations = RecommendationServiceApp.start(() -> AegisConfig.ofMap(rec));
        base = URI.create("http://127.0.0.1:" + recommendations.port());
    }

    @AfterEach
    void stop() {
        recommendations.close();
        policies.close();
        users.close();
    }

    String token(String scope) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/dev/token?scope=" + scope.replace(" ", "%20")))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return json.readTree(r.body()).get("access_token").asText();
    }

    HttpResponse<String> get(String path, String token, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void composesTheUserAndTheirPoliciesWithTheCallersToken() throws Exception {
        String t = token("recommendations:read users:read policies:read");
        HttpResponse<String> r = get("/api/v1/recommendations/u-1001", t);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(Degradation.HEADER)).isEmpty();
        JsonNode body = json.readTree(r.body());
        assertThat(body.path("user").path("name").asText()).isEqualTo("Ada Lovelace");
        assertThat(body.path("policies")).hasSize(2);
        assertThat(body.has(Degradation.FIELD)).isFalse();
        assertThat(body.path("recommendations").findValuesAsText("product")).doesNotContain("auto", "home")
                .startsWith("life", "travel");
        // phrased by the LLM client; with no provider configured its local echo provider answers
        assertThat(body.path("message").asText()).startsWith("Echo: Hello Ada Lovelace.");
    }

    @Test
    void degradesWhenThePolicyServiceIsDown() throws Exception {
        String t = token("recommendations:read users:read policies:read");
        assertThat(get("/api/v1/recommendations/u-1001", t).statusCode()).isEqualTo(200);
        policies.close();

        // never fetched: no policies at all
        HttpResponse<String> r = get("/api/v1/recommendations/u-1002", t);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(Degradation.HEADER)).hasValue("policy");
        JsonNode body = json.readTree(r.body());
        assertThat(body.path(Degradation.FIELD).findValuesAsText("")).isEmpty();
        assertThat(body.path(Degradation.FIELD).toString()).isEqualTo("[\"policy\"]");
        assertThat(body.path("user").path("name").asText()).isEqualTo("Grace Hopper");
        assertThat(body.path("policies").isNull()).isTrue();
        assertThat(body.path("recommendations")).hasSize(2);

        // fetched before: the last good answer, still marked degraded because it may be stale
        HttpResponse<String> stale = get("/api/v1/recommendations/u-1001", t);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.headers().firstValue(Degradation.HEADER)).hasValue("policy");
        assertThat(json.readTree(stale.body()).path("policies")).hasSize(2);
    }

    @Test
    void aForwardedTokenWithoutTheUpstreamsScopeDegradesThatPart() throws Exception {
        String t = token("recommendations:read policies:read");
        HttpResponse<String> r = get("/api/v1/recommendations/u-1003", t);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue(Degradation.HEADER)).hasValue("user");
        assertThat(json.readTree(r.body()).path("policies")).hasSize(2);
    }

    @Test
    void unknownUserIs404AndBothDownIs503() throws Exception {
        String t = token("recommendations:read users:read policies:read");
        assertThat(get("/api/v1/recommendations/u-9999", t).statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/recommendations/not-a-user", t).statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/recommendations/u-1001", token("users:read")).statusCode()).isEqualTo(403);
        users.close();
        policies.close();
        HttpResponse<String> r = get("/api/v1/recommendations/u-1004", t);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.headers().firstValue(Degradation.HEADER)).hasValue("policy, user");
    }

    @Test
    void aPropagatedDeadlineIsHonouredAndPassedOn() throws Exception {
        String t = token("recommendations:read users:read policies:read");
        HttpResponse<String> late = get("/api/v1/recommendations/u-1001", t, Deadline.HEADER, "0");
        assertThat(late.statusCode()).isEqualTo(504);
        assertThat(json.readTree(late.body()).path("type").asText()).endsWith("/deadline-exceeded");
        assertThat(get("/api/v1/recommendations/u-1001", t, Deadline.HEADER, "soon").statusCode()).isEqualTo(400);
        assertThat(get("/api/v1/recommendations/u-1001", t, Deadline.HEADER, "3000").statusCode()).isEqualTo(200);
    }
}
