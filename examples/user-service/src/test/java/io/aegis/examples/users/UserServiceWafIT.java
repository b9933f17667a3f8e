package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.config.AegisConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WAF of the demo over real HTTP (Jetty + Jersey, JAX-RS pre-matching filter): attacks in the
 * query, the path, the JSON body and headers are answered 403 {@code request-blocked}; benign
 * English, Korean, O'Brien and code-snippet input reaches the application.
 */
class UserServiceWafIT {

    static UserServiceApp app;
    static URI base;
    static String token;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    static Map<String, String> config(String mode) {
        Map<String, String> cfg = new HashMap<>(Map.of(
                "aegis.service.name", "user-service",
                "aegis.http.port", "0",
                "aegis.dev.token-issuer.enabled", "true",
                "aegis.ratelimit.tiers.free.limits", "100000/1m",
                "aegis.waf.enabled", "true",
                "aegis.waf.mode", mode));
        return cfg;
    }

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> cfg = config("block");
        app = UserServiceApp.start(() -> AegisConfig.ofMap(cfg));
        base = URI.create("http://127.0.0.1:" + app.port());
        token = UserServiceIT.token(base, "scope=users:read%20users:write");
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    static HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET()
                .header("Authorization", "Bearer " + token);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/users"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static void assertBlocked(HttpResponse<String> r, String payloadFragment) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode p = json.readTree(r.body());
        assertThat(p.get("type").asText()).isEqualTo("https://aegis.io/problems/request-blocked");
        assertThat(p.get("incident").asText()).isNotBlank();
        assertThat(r.body()).doesNotContain(payloadFragment);
    }

    @Test
    void attacksInTheQueryAreBlocked() throws Exception {
        for (String attack : List.of("' or '1'='1", "1 union select username,password from users--",
                "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "; cat /etc/passwd",
                "../../../../etc/passwd", "http://169.254.169.254/latest/meta-data/", "*)(uid=*))(|(uid=*")) {
            assertBlocked(get("/api/v1/users?search=" + q(attack)), attack);
        }
        // double encoding does not hide it
        assertBlocked(get("/api/v1/users?search=%2527%2520or%25201%253D1--"), "1=1");
        // shapes learned from independent corpora: an alias and WHERE after the break, a leading
        // subquery, a line comment ended by a newline, a framework directive
        for (String attack : List.of("9) as q where 12=13 or 7=7#", "(select name from accounts limit 1,1)",
                "-3#note\nunion select 1,2", "<a ng-click=$event.view.alert(2)>x</a>")) {
            assertBlocked(get("/api/v1/users?search=" + q(attack)), attack);
        }
    }

    @Test
    void attacksInThePathAreBlockedEvenWhereNoRouteMatches() throws Exception {
        assertBlocked(get("/api/v1/users/" + q("1' or '1'='1")), "or");
        assertBlocked(get("/api/v1/users/" + q("<svg onload=alert(1)>")), "svg");
        assertBlocked(get("/nowhere/" + q("1' union select 1,2--")), "union");
        // Jetty itself refuses some encoded traversals (400) before any filter runs; either way not served
        assertThat(get("/nowhere/..%252f..%252fetc%252fpasswd").statusCode()).isIn(400, 403);
        assertThat(get("/api/v1/users/..%2f..%2f..%2fetc%2fpasswd").statusCode()).isIn(400, 403);
    }

    @Test
    void attacksInTheJsonBodyAndHeadersAreBlocked() throws Exception {
        assertBlocked(post("{\"name\":\"<script>alert(document.cookie)</script>\",\"email\":\"x@example.com\"}"), "script");
        assertBlocked(post("{\"name\":\"Kim\",\"email\":\"kim@example.com\",\"city\":\"'; DROP TABLE users; --\"}"), "DROP");
        assertBlocked(get("/api/v1/users?search=kim", "User-Agent", "sqlmap/1.8#stable (https://sqlmap.org)"), "sqlmap");
        assertBlocked(get("/api/v1/users?search=kim", "Cookie", "session=abc; pref=' or 1=1--"), "1=1");
        assertBlocked(get("/api/v1/users?search=kim", "X-Forwarded-For", "1.2.3.4' and sleep(5)#"), "sleep");
        assertBlocked(post("{\"name\":\"Kim\",\"email\":\"kim@example.com\",\"bio\":\"'or#z\\n2=2#\"}"), "2=2");
    }

    @Test
    void benignInputReachesTheApplication() throws Exception {
        for (String search : List.of("o'brien", "O'Brien", "김민준", "서울", "select the best option from the list",
                "drop me a line", "union of two sets", "a < b and c > d", "Tom & Jerry", "50% off", "C# -- great",
                "for (int i = 0; i < n; i++) { sum += a[i]; }", "x = y + 3", "alice@example.com",
                "https://example.com/a?b=c", "2024-01-15", "Rock 'n' roll")) {
            HttpResponse<String> r = get("/api/v1/users?search=" + q(search));
            assertThat(r.statusCode()).as(search + " -> " + r.body()).isIn(200, 400);
        }
        // a forum-like post: markdown, a multi-line SQL snippet, an em-dash attribution, inches
        HttpResponse<String> post = post("{\"name\":\"Kim\",\"email\":\"kim.snippet." + System.nanoTime() + "@example.com\","
                + "\"city\":\"Seoul\",\"bio\":\"* `name` {string} The user name.\\nSELECT id, name FROM users\\n"
                + "WHERE id = 1; -- works\\n\\\"Simple is better.\\\" -- Anonymous. Frame 8\\\" or 10\\\"\"}");
        assertThat(post.statusCode()).as(post.body()).isNotEqualTo(403);
        HttpResponse<String> created = post("{\"name\":\"Siobhán O'Brien\",\"email\":\"siobhan.obrien." + System.nanoTime() + "@example.ie\","
                + "\"phone\":\"+353 1 234 5678\",\"city\":\"Dublin\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> korean = post("{\"name\":\"이서연\",\"email\":\"seoyeon.lee." + System.nanoTime() + "@example.kr\","
                + "\"phone\":\"010-1234-5678\",\"city\":\"부산광역시 해운대구\"}");
        assertThat(korean.statusCode()).as(korean.body()).isEqualTo(201);
        // the body was inspected and still reaches the resource whole
        assertThat(json.readTree(korean.body()).get("city").asText()).isEqualTo("부산광역시 해운대구");
    }

    @Test
    void detectModeLetsAttacksThrough() throws Exception {
        Map<String, String> cfg = config("detect");
        try (UserServiceApp detect = UserServiceApp.start(() -> AegisConfig.ofMap(cfg))) {
            URI b = URI.create("http://127.0.0.1:" + detect.port());
            String t = UserServiceIT.token(b, "scope=users:read");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(b + "/api/v1/users?search=" + q("' or 1=1--")))
                    .header("Authorization", "Bearer " + t).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }
}
