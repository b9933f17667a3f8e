package io.aegis.gateway.waf;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.FakeRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The WAF stage over fake requests: where it looks, what it answers, what it records, exclusions. */
class WafPolicyTest {

    final List<GatewayEvent> events = new ArrayList<>();
    final GatewayEvents sink = new GatewayEvents().addListener(events::add);

    WafPolicy waf(WafSettings.Builder b) {
        RouteTable routes = RouteTable.of(List.of(
                RoutePolicy.builder("POST", "/api/v1/posts").id("create-post").build(),
                RoutePolicy.builder("GET", "/api/v1/users").id("search-users").build()));
        return new WafPolicy(b.enabled(true).build(), routes, sink);
    }

    Decision run(WafPolicy p, FakeRequest r) {
        return p.evaluate(new Exchange(r));
    }

    @Test
    void blocksAttacksInEveryPartOfTheRequest() {
        WafPolicy p = waf(WafSettings.builder());
        assertThat(run(p, FakeRequest.get("/api/v1/users?search=%27%20or%201%3D1--")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.get("/api/v1/users?q=%3Cscript%3Ealert(1)%3C/script%3E")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.get("/api/v1/files/..%2f..%2fetc%2fpasswd")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.get("/api/v1/users/1%20or%201=1--/orders")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.get("/api/v1/users/u-1001/orders;v=2")).proceeds()).isTrue();
        assertThat(run(p, FakeRequest.get("/api/v1/users").header("User-Agent", "sqlmap/1.7.2#stable")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.get("/api/v1/users").header("Referer", "http://x.test/?q=<svg/onload=alert(1)>")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.get("/api/v1/users").header("Cookie", "theme=dark; pref=' or '1'='1")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/users").body("application/json",
                "{\"name\":\"x\",\"tags\":[\"a\",\"<img src=x onerror=alert(1)>\"]}")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/users").body("application/x-www-form-urlencoded",
                "name=kim&city=%3B%20cat%20%2Fetc%2Fpasswd")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.of("POST", "/upload").body("multipart/form-data; boundary=XyZ",
                "--XyZ\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\n1 union select password from users--\r\n--XyZ--\r\n"))
                .rejects()).isTrue();
    }

    @Test
    void aBlockIsA403ProblemWithAnIncidentAndNeverTheValue() {
        Decision d = run(waf(WafSettings.builder()), FakeRequest.get("/api/v1/users?search=%27%20or%201%3D1--"));
        assertThat(d.problem().type()).isEqualTo(ProblemType.REQUEST_BLOCKED);
        assertThat(d.problem().status()).isEqualTo(403);
        String incident = (String) d.problem().extensions().get("incident");
        assertThat(incident).isNotBlank();
        assertThat(d.problem().toJson()).doesNotContain("or 1=1").doesNotContain("search=");
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(WafPolicy.EVENT_DETECTED);
            assertThat(e.attributes()).containsEntry("attack", "sqli").containsEntry("location", "query:search")
                    .containsEntry("incident", incident).containsEntry("mode", "block").containsKey("value_hash");
            assertThat(e.attributes().values()).noneMatch(v -> String.valueOf(v).contains("1=1"));
        });
    }

    @Test
    void bodyFieldNamesAreReportedPrintableAndBounded() {
        WafPolicy p = waf(WafSettings.builder());
        String attack = "\"<img src=x onerror=alert(1)>\"";
        run(p, FakeRequest.of("POST", "/api/v1/users").body("application/json", "{\"display_name\":" + attack + "}"));
        String hostile = "a\\u0000b\\\"c\\u001b[31m" + "n".repeat(100) + "\\u00e9";
        run(p, FakeRequest.of("POST", "/api/v1/users").body("application/json", "{\"" + hostile + "\":" + attack + "}"));
        assertThat(events).hasSize(2);
        assertThat(events.get(0).attributes()).containsEntry("location", "body:display_name");
        String location = (String) events.get(1).attributes().get("location");
        assertThat(location).startsWith("body:a?b?c?[31mnnn").hasSize("body:".length() + 64)
                .matches("[\\x20-\\x7e]+").doesNotContain("\"").doesNotContain("\\");
    }

    @Test
    void benignRequestsPassAndBodiesOfGetsAreNotRead() {
        WafPolicy p = waf(WafSettings.builder());
        FakeRequest get = FakeRequest.get("/api/v1/users?search=o%27brien&city=%EC%84%9C%EC%9A%B8").header("User-Agent",
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36");
        assertThat(run(p, get).proceeds()).isTrue();
        assertThat(get.bodyReads).isZero();
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/users").body("application/json",
                "{\"name\":\"Patrick O'Brien\",\"bio\":\"select the best option from the list and update your profile\","
                        + "\"city\":\"서울\",\"note\":\"a < b and c > d\"}")).proceeds()).isTrue();
        assertThat(events).isEmpty();
    }

    @Test
    void detectModeLetsTheRequestThroughAndRecordsIt() {
        WafPolicy p = waf(WafSettings.builder().mode(WafMode.DETECT));
        Exchange ex = new Exchange(FakeRequest.get("/api/v1/users?q=%3Csvg%20onload%3Dalert(1)%3E"));
        assertThat(p.evaluate(ex).proceeds()).isTrue();
        assertThat(ex.attribute(WafPolicy.DETECTION).type()).isEqualTo(AttackType.XSS);
        assertThat(events).singleElement().satisfies(e -> assertThat(e.attributes()).containsEntry("mode", "detect"));
    }

    @Test
    void oversizedBodiesAreRefusedOrInspectedInTheirPrefix() {
        String big = "{\"text\":\"" + "a".repeat(2000) + "\"}";
        Decision refused = run(waf(WafSettings.builder().maxBodyBytes(1000)),
                FakeRequest.of("POST", "/api/v1/users").body("application/json", big));
        assertThat(refused.problem().type()).isEqualTo(ProblemType.PAYLOAD_TOO_LARGE);
        assertThat(refused.problem().status()).isEqualTo(413);
        WafPolicy prefix = waf(WafSettings.builder().maxBodyBytes(1000).oversize(WafSettings.Oversize.INSPECT_PREFIX));
        assertThat(run(prefix, FakeRequest.of("POST", "/api/v1/users").body("application/json", big)).proceeds()).isTrue();
        String attackFirst = "{\"a\":\"<script>alert(1)</script>\",\"text\":\"" + "a".repeat(2000) + "\"}";
        assertThat(run(prefix, FakeRequest.of("POST", "/api/v1/users").body("application/json", attackFirst)).rejects()).isTrue();
    }

    @Test
    void exclusionsByRouteFieldAndAttack() {
        WafPolicy p = waf(WafSettings.builder()
                .exclusion(WafExclusion.builder("post-html").route("create-post").fields("content").attacks(AttackType.XSS).build())
                .exclusion(WafExclusion.builder("preview").path("POST", "/api/v1/previews/{id}").fields("body:html").build()));
        String html = "{\"title\":\"hi\",\"content\":\"<p onclick=\\\"alert(1)\\\">x</p>\"}";
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/posts").body("application/json", html)).proceeds()).isTrue();
        // same field, another attack type: still inspected
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/posts").body("application/json",
                "{\"content\":\"' or 1=1--\"}")).rejects()).isTrue();
        // same field, another route: still inspected
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/comments").body("application/json", html)).rejects()).isTrue();
        // another field of the excluded route: still inspected
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/posts").body("application/json",
                "{\"title\":\"<script>alert(1)</script>\"}")).rejects()).isTrue();
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/previews/7").body("application/json",
                "{\"html\":\"<script>alert(1)</script>\"}")).proceeds()).isTrue();
        assertThat(run(p, FakeRequest.of("POST", "/api/v1/previews/7?html=%3Cscript%3E")).rejects()).isTrue();
    }

    @Test
    void offMeansOff() {
        WafPolicy p = new WafPolicy(WafSettings.defaults(), RouteTable.empty(), sink);
        assertThat(run(p, FakeRequest.get("/?q=%27%20or%201%3D1--")).proceeds()).isTrue();
    }
}
