package io.aegis.gateway.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9457 problem details: the JSON shape, extension members, headers, types. */
class ProblemTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theJsonHasTheStandardMembersFirstThenTheExtensionsInOrder() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("b", 2);
        nested.put("a", List.of(true, 1.5, "x"));
        Problem p = Problem.builder(ProblemType.RATE_LIMITED)
                .detail("Slow down \"now\" \u00e9")
                .instance("/requests/42")
                .with("retry_after", 7L)
                .with("limits", List.of("free-1s", "free-1m"))
                .with("nested", nested)
                .with("missing", null)
                .header("Retry-After", "7")
                .build();
        assertThat(p.toJson()).isEqualTo("{\"type\":\"https://aegis.io/problems/rate-limited\",\"title\":\"Too many requests\","
                + "\"status\":429,\"detail\":\"Slow down \\\"now\\\" \u00e9\",\"instance\":\"/requests/42\",\"retry_after\":7,"
                + "\"limits\":[\"free-1s\",\"free-1m\"],\"nested\":{\"b\":2,\"a\":[true,1.5,\"x\"]},\"missing\":null}");
        assertThat(p.headers()).isEqualTo(Map.of("Retry-After", List.of("7")));
        assertThat(p.toString()).isEqualTo("Problem[rate-limited, 429, Slow down \"now\" \u00e9]");
    }

    @Test
    void theMinimalProblemHasTypeTitleAndStatusOnly() throws Exception {
        Problem p = Problem.of(ProblemType.NOT_FOUND);
        assertThat(JSON.readTree(p.toJson()).properties()).extracting(Map.Entry::getKey)
                .containsExactly("type", "title", "status");
        assertThat(p.toJson()).isEqualTo("{\"type\":\"https://aegis.io/problems/not-found\",\"title\":\"Not found\",\"status\":404}");
        assertThat(p.extensions()).isEmpty();
        assertThat(p.headers()).isEmpty();
    }

    @Test
    void writeJsonWritesTheSameUtf8Body() throws Exception {
        Problem p = Problem.of(ProblemType.BAD_REQUEST, "caf\u00e9 \u2603");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.writeJson(out);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(p.toJson());
        assertThat(JSON.readTree(out.toByteArray()).get("detail").asText()).isEqualTo("caf\u00e9 \u2603");
    }

    @ParameterizedTest
    @ValueSource(strings = {"type", "title", "status", "detail", "instance"})
    void reservedMemberNamesAreRefusedAsExtensions(String name) {
        assertThatThrownBy(() -> Problem.builder(ProblemType.FORBIDDEN).with(name, "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name: " + name + " (expected: an extension member, not a standard one)");
    }

    @Test
    void theStatusDefaultsToTheTypesAndCanBeOverriddenWithinTheErrorRange() {
        assertThat(Problem.of(ProblemType.DEPENDENCY_UNAVAILABLE).status()).isEqualTo(503);
        assertThat(Problem.builder(ProblemType.BAD_REQUEST).status(422).build().status()).isEqualTo(422);
        assertThatThrownBy(() -> Problem.builder(ProblemType.BAD_REQUEST).status(200))
                .hasMessage("status: 200 (expected: 400..599)");
    }

    @Test
    void toBuilderKeepsEverythingAndCopiesTheHeaderLists() {
        Problem p = Problem.builder(ProblemType.INVALID_TOKEN).status(401).detail("d").instance("i")
                .with("a", 1).header("WWW-Authenticate", "Bearer").build();
        Problem q = p.toBuilder().header("WWW-Authenticate", "Other").with("b", 2).build();
        assertThat(q.toJson()).isEqualTo("{\"type\":\"https://aegis.io/problems/invalid-token\",\"title\":\"Invalid token\","
                + "\"status\":401,\"detail\":\"d\",\"instance\":\"i\",\"a\":1,\"b\":2}");
        assertThat(q.headers().get("WWW-Authenticate")).containsExactly("Bearer", "Other");
        assertThat(p.headers().get("WWW-Authenticate")).containsExactly("Bearer");
        assertThatThrownBy(() -> p.headers().get("WWW-Authenticate").add("x"))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> p.extensions().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void problemTypesAreValidated() {
        ProblemType t = ProblemType.of("quota-exceeded", 429, "Quota exceeded");
        assertThat(t.uri()).hasToString("https://aegis.io/problems/quota-exceeded");
        assertThat(t).isEqualTo(ProblemType.of("quota-exceeded", 429, "Other title"));
        assertThatThrownBy(() -> ProblemType.of("Quota_Exceeded", 429, "x"))
                .hasMessage("slug: Quota_Exceeded (expected: lower-case words joined by '-')");
        assertThatThrownBy(() -> ProblemType.of("x", 302, "x")).hasMessage("status: 302 (expected: 400..599)");
    }

    @Test
    void decisionsAreValues() {
        assertThat(Decision.proceed()).isSameAs(Decision.proceed());
        assertThat(Decision.proceed().problem()).isNull();
        Decision d = Decision.reject(ProblemType.FORBIDDEN, "no");
        assertThat(d.rejects()).isTrue();
        assertThat(d.proceeds()).isFalse();
        assertThat(d.problem().detail()).isEqualTo("no");
    }

    @Test
    void responseHeadersAreCaseInsensitiveAndOrdered() {
        ResponseHeaders h = new ResponseHeaders();
        h.add("RateLimit", "a").add("X-Other", "b").add("ratelimit", "c");
        assertThat(h.get("RATELIMIT")).isEqualTo("a");
        assertThat(h.getAll("RateLimit")).containsExactly("a", "c");
        h.set("RateLimit", "d");
        assertThat(h.getAll("ratelimit")).containsExactly("d");
        assertThat(h.size()).isEqualTo(2);
        assertThat(h).hasToString("ResponseHeaders[X-Other: b; RateLimit: d; ]");
    }
}
