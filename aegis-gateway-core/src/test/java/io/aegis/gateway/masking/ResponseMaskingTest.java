package io.aegis.gateway.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.testing.FakeRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Which responses are masked, for whom, and how each body kind is handled. */
class ResponseMaskingTest {

    static final RoutePolicy MASKED = RoutePolicy.builder("GET", "/users/{id}").id("get-user")
            .masking(MaskingPolicy.fields("email", "phone")).build();
    static final RoutePolicy PLAIN = RoutePolicy.builder("GET", "/plain").id("plain").build();

    static Exchange exchange(RoutePolicy route, String... scopes) {
        Exchange e = new Exchange(FakeRequest.get("/x"));
        if (route != null) {
            e.route(route);
        }
        if (scopes.length > 0) {
            e.principal(Principal.builder("alice", AuthScheme.JWT).scopes(Set.of(scopes)).build());
        }
        return e;
    }

    @Test
    void scopeAwareness() {
        MaskingSettings s = MaskingSettings.defaults();
        assertThat(s.maskerFor(exchange(MASKED, "users:read"))).isNotNull();
        assertThat(s.maskerFor(exchange(MASKED))).isNotNull(); // anonymous
        assertThat(s.maskerFor(exchange(MASKED, "users:read", "pii:read"))).isNull();
        assertThat(s.maskerFor(exchange(PLAIN, "users:read"))).isNull();
        assertThat(s.maskerFor(exchange(null))).isNull();
        assertThat(s.toBuilder().enabled(false).build().maskerFor(exchange(MASKED))).isNull();
        // Nobody exempt, or another scope.
        assertThat(s.toBuilder().exemptScope(null).build().maskerFor(exchange(MASKED, "pii:read"))).isNotNull();
        RoutePolicy own = MASKED.toBuilder().masking(MaskingPolicy.fields("email").toBuilder().exemptScope("hr:read").build()).build();
        assertThat(s.maskerFor(exchange(own, "pii:read"))).isNotNull();
        assertThat(s.maskerFor(exchange(own, "hr:read"))).isNull();
        // The same compiled masker serves every request of a route.
        assertThat(s.maskerFor(exchange(MASKED))).isSameAs(s.maskerFor(exchange(MASKED, "x")));
    }

    @Test
    void serviceRulesApplyToEveryRouteAndRoutesAddToThem() {
        MaskingSettings s = MaskingSettings.builder().serviceRules(MaskingPolicy.fields("password")).build();
        ResponseMasker plain = s.maskerFor(exchange(PLAIN));
        assertThat(plain.policy().fields()).containsExactly("password");
        assertThat(s.maskerFor(exchange(null))).isSameAs(plain); // unmatched requests too
        assertThat(s.maskerFor(exchange(MASKED)).policy().fields()).containsExactly("password", "email", "phone");
    }

    @Test
    void treatments() {
        ResponseMasker m = MaskingSettings.defaults().maskerFor(exchange(MASKED));
        assertThat(m.treatment("application/json", null)).isEqualTo(ResponseMasker.Treatment.JSON);
        assertThat(m.treatment("application/problem+json; charset=utf-8", "identity")).isEqualTo(ResponseMasker.Treatment.JSON);
        assertThat(m.treatment("Application/JSON;charset=UTF-8", "gzip")).isEqualTo(ResponseMasker.Treatment.JSON);
        assertThat(m.treatment("application/x-ndjson", null)).isEqualTo(ResponseMasker.Treatment.JSON);
        assertThat(m.treatment("application/json", "br")).isEqualTo(ResponseMasker.Treatment.REFUSE);
        assertThat(m.treatment("text/plain", null)).isEqualTo(ResponseMasker.Treatment.PASS); // no detectors
        assertThat(m.treatment("text/html", "br")).isEqualTo(ResponseMasker.Treatment.PASS);
        assertThat(m.treatment(null, null)).isEqualTo(ResponseMasker.Treatment.PASS);
        ResponseMasker text = MaskingSettings.defaults().maskerFor(exchange(RoutePolicy.builder("GET", "/t")
                .masking(MaskingPolicy.builder().detectors(Detector.PHONE).build()).build()));
        assertThat(text.treatment("text/plain;charset=utf-8", null)).isEqualTo(ResponseMasker.Treatment.TEXT);
    }

    @Test
    void bodies() throws IOException {
        ResponseMasker m = MaskingSettings.defaults().maskerFor(exchange(MASKED));
        String json = "{\"email\":\"minjun.kim@example.kr\",\"phone\":\"010-2345-6789\"}";
        String masked = "{\"email\":\"m*****.k**@example.kr\",\"phone\":\"010-****-6789\"}";
        assertThat(through(m, "application/json", null, json.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(masked.getBytes(StandardCharsets.UTF_8));
        // Another charset is buffered and re-encoded in the same charset.
        Charset utf16 = StandardCharsets.UTF_16BE;
        assertThat(new String(through(m, "application/json; charset=UTF-16BE", null, json.getBytes(utf16)), utf16)).isEqualTo(masked);
        // gzip: decompressed, masked, compressed again.
        byte[] gz = through(m, "application/json", "gzip", gzip(json.getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(masked);
        // Anything else passes unchanged.
        byte[] html = "<p>minjun.kim@example.kr</p>".getBytes(StandardCharsets.UTF_8);
        assertThat(through(m, "text/html", null, html)).isEqualTo(html);
    }

    @Test
    void textIsScannedAndBufferedBodiesAreBounded() throws IOException {
        MaskingSettings s = MaskingSettings.builder().maxBufferBytes(1024).build();
        ResponseMasker text = s.maskerFor(exchange(RoutePolicy.builder("GET", "/t")
                .masking(MaskingPolicy.builder().detectors(Detector.defaults()).build()).build()));
        assertThat(new String(through(text, "text/plain", null, "전화 010-2345-6789".getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8)).isEqualTo("전화 010-****-6789");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MaskingOutputStream big = text.wrap(out, "text/plain", null);
        assertThatThrownBy(() -> big.write(new byte[2000])).isInstanceOf(IOException.class)
                .hasMessageContaining("exceeds 1024 bytes");
        assertThat(out.size()).isZero();
    }

    static byte[] through(ResponseMasker m, String type, String encoding, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MaskingOutputStream s = m.wrap(out, type, encoding);
        s.write(body);
        s.finish();
        s.finish();
        return out.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }
}
