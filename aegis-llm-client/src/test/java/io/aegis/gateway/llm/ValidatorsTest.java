package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.llm.validation.ResponseValidator;
import io.aegis.gateway.llm.validation.Validators;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ValidatorsTest {

    static final String SCHEMA = "{\"type\":\"object\",\"required\":[\"status\",\"eta\"],\"additionalProperties\":false,"
            + "\"properties\":{\"status\":{\"enum\":[\"shipped\",\"pending\"]},\"eta\":{\"type\":\"string\",\"pattern\":"
            + "\"^\\\\d{4}-\\\\d{2}-\\\\d{2}$\"},\"items\":{\"type\":\"array\",\"maxItems\":2,\"items\":{\"type\":\"integer\","
            + "\"minimum\":1}}}}";

    static LlmResponse answer(String text) {
        return LlmResponse.builder().content(text).build();
    }

    static boolean ok(ResponseValidator v, String text) {
        return v.validate(LlmRequest.of("q"), answer(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"status\":\"shipped\",\"eta\":\"2026-11-27\"}|true",
            "{\"status\":\"lost\",\"eta\":\"2026-11-27\"}|false",
            "{\"status\":\"shipped\"}|false",
            "{\"status\":\"shipped\",\"eta\":\"27.11.2026\"}|false",
            "{\"status\":\"shipped\",\"eta\":\"2026-11-27\",\"extra\":1}|false",
            "{\"status\":\"shipped\",\"eta\":\"2026-11-27\",\"items\":[1,2,3]}|false",
            "{\"status\":\"shipped\",\"eta\":\"2026-11-27\",\"items\":[1,0]}|false",
            "{\"status\":\"shipped\",\"eta\":\"2026-11-27\",\"items\":[1,2.0]}|true",
            "not json|false",
            "[1,2]|false",
            "{\"status\":\"shipped\",\"eta\":\"2026-11-27\"} trailing|false"})
    void jsonSchema(String text, boolean valid) {
        assertThat(ok(Validators.jsonSchema(SCHEMA), text)).isEqualTo(valid);
    }

    @Test
    void aMarkdownFenceAroundJsonIsNotPartOfTheValue() {
        assertThat(ok(Validators.jsonSchema(SCHEMA), "```json\n{\"status\":\"shipped\",\"eta\":\"2026-11-27\"}\n```"))
                .isTrue();
    }

    @Test
    void deeplyNestedJsonDoesNotBlowTheStack() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        assertThat(ok(Validators.jsonSchema("{\"type\":\"array\",\"items\":{\"type\":\"array\"}}"), deep)).isFalse();
    }

    @Test
    void jsonAsRequestedOnlyAppliesToJsonRequests() {
        ResponseValidator v = Validators.jsonAsRequested();
        LlmRequest text = LlmRequest.of("q");
        LlmRequest json = LlmRequest.builder().user("q").responseFormat(ResponseFormat.jsonObject()).build();
        LlmRequest schema = LlmRequest.builder().user("q").responseFormat(ResponseFormat.jsonSchema(SCHEMA)).build();

        assertThat(v.validate(text, answer("plain words"))).isEmpty();
        assertThat(v.validate(json, answer("plain words"))).contains("answer is not JSON");
        assertThat(v.validate(json, answer("{\"a\":1}"))).isEmpty();
        assertThat(v.validate(schema, answer("{\"a\":1}")).orElseThrow()).contains("missing required property 'status'");
    }

    @Test
    void nonEmptyAcceptsToolCalls() {
        ResponseValidator v = Validators.nonEmpty();
        assertThat(ok(v, " \n\t")).isFalse();
        assertThat(v.validate(LlmRequest.of("q"), LlmResponse.builder().content("")
                .toolCalls(List.of(new ToolCall("c", "f", "{}"))).build())).isEmpty();
    }

    @Test
    void bannedContentSurvivesUnicodeTricks() {
        ResponseValidator v = Validators.banned(List.of("password", "비밀번호"));
        assertThat(ok(v, "Your PASSWORD is")).isFalse();
        assertThat(ok(v, "Your ｐａｓｓｗｏｒｄ is")).isFalse();
        assertThat(ok(v, "Your pass\u200Bword is")).isFalse();
        assertThat(ok(v, "Your pass\u00ADword is")).isFalse();
        assertThat(ok(v, "비밀번호를 입력하세요")).isFalse();
        assertThat(ok(v, "Your order shipped")).isTrue();
        assertThatThrownBy(() -> Validators.banned(List.of(" "))).hasMessageContaining("blank");
    }

    @Test
    void lengthCountsCodePoints() {
        ResponseValidator v = Validators.length(1, 3);
        assertThat(ok(v, "😀😀😀")).isTrue();
        assertThat(ok(v, "😀😀😀😀")).isFalse();
        assertThat(ok(v, "")).isFalse();
    }

    @Test
    void patternsAndPredicates() {
        assertThat(ok(Validators.bannedPatterns(List.of(Pattern.compile("\\b\\d{3}-\\d{2}-\\d{4}\\b"))), "SSN 123-45-6789"))
                .isFalse();
        ResponseValidator p = Validators.predicate("mentions-order", r -> r.content().contains("#4521"), "no order number");
        assertThat(p.name()).isEqualTo("mentions-order");
        assertThat(p.validate(LlmRequest.of("q"), answer("shipped"))).contains("no order number");
    }
}
