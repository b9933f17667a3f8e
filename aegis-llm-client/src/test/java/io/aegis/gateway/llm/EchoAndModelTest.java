package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.pipeline.Problem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in echo provider, the request model's rules and the problem mapping. */
class EchoAndModelTest {

    @Test
    void withNoProviderConfiguredTheClientEchoesOffline() {
        try (LlmClient client = LlmClients.fromConfig(AegisConfig.ofMap(Map.of()))) {
            LlmResponse r = client.complete(LlmRequest.builder().system("be brief").user("  Recommend a book  ").build());

            assertThat(client.providers()).containsExactly("echo");
            assertThat(r.content()).isEqualTo("Echo: Recommend a book");
            assertThat(r.provider()).isEqualTo("echo");
            assertThat(r.usage().estimated()).isTrue();
            assertThat(r.cost()).isEqualByComparingTo("0");

            List<StreamEvent> events = Collect.all(client.stream(LlmRequest.of("one two three")));
            assertThat(events).filteredOn(e -> e instanceof StreamEvent.Delta).hasSizeGreaterThan(3);
            assertThat(Collect.text(events)).isEqualTo("Echo: one two three");
        }
    }

    @Test
    void aLongEchoStreamDoesNotRecursePerEvent() {
        try (LlmClient client = LlmClients.fromConfig(AegisConfig.ofMap(Map.of()))) {
            String words = "word ".repeat(50_000).strip();
            LlmResponse r = LlmStreams.collect(client.stream(LlmRequest.builder().user(words).maxTokens(200_000).build())).join();
            assertThat(r.content()).isEqualTo("Echo: " + words);
        }
    }

    @Test
    void echoAnswersJsonWhenAskedAndContinuesAPrefill() {
        try (LlmClient client = LlmClients.fromConfig(AegisConfig.ofMap(Map.of()))) {
            LlmResponse json = client.complete(LlmRequest.builder().user("say \"hi\"")
                    .responseFormat(ResponseFormat.jsonObject()).build());
            assertThat(json.content()).isEqualTo("{\"echo\": \"say \\\"hi\\\"\"}");
            LlmResponse cont = client.complete(LlmRequest.builder().user("abc").assistant("Echo: a").build());
            assertThat(cont.content()).isEqualTo("bc");
        }
    }

    @Test
    void requestRulesNameTheOffender() {
        assertThatThrownBy(() -> LlmRequest.builder().build()).hasMessageContaining("messages: none");
        assertThatThrownBy(() -> LlmRequest.builder().temperature(3)).hasMessage("temperature: 3.0 (expected: 0..2)");
        assertThatThrownBy(() -> LlmRequest.builder().maxTokens(0)).hasMessageContaining("maxTokens: 0");
        assertThatThrownBy(() -> LlmRequest.builder().requestType("Chat!")).hasMessageContaining("requestType: 'Chat!'");
        assertThatThrownBy(() -> Message.tool("", "f", "x")).hasMessageContaining("toolCallId");
        assertThatThrownBy(() -> new Usage(10, 5, 8, 4, 0, false)).hasMessageContaining("cache tokens: 12 > input tokens 10");
        assertThatThrownBy(() -> new ToolDefinition("get order", null, null)).hasMessageContaining("tool name");
        assertThat(LlmRequest.of("secret prompt").toString()).doesNotContain("secret");
    }

    @Test
    void failuresBecomeProblemsWithoutProviderDetail() {
        LlmException overloaded = new LlmException(LlmErrorKind.OVERLOADED, "anthropic/claude: HTTP 529", "anthropic",
                "claude", 529, "overloaded_error", java.time.Duration.ofMillis(1500), null, null);
        Problem p = LlmProblems.toProblem(overloaded);
        assertThat(p.status()).isEqualTo(503);
        assertThat(p.type().slug()).isEqualTo("llm-unavailable");
        assertThat(p.headers().get("Retry-After")).containsExactly("2");
        assertThat(p.toJson()).doesNotContain("anthropic").doesNotContain("claude");
        assertThat(LlmProblems.toProblem(new LlmException(LlmErrorKind.CONTEXT_TOO_LONG, "x")).status()).isEqualTo(422);
    }

    @Test
    void providerSettingsNeverShowTheKey() {
        ProviderSettings s = ProviderSettings.builder("openai", WireFormat.OPENAI).apiKey("sk-live-abcdef").build();
        assertThat(s.toString()).doesNotContain("sk-live").contains("****");
        assertThat(s.credentialId()).hasSize(8);
        assertThatThrownBy(() -> ProviderSettings.builder("openai", WireFormat.OPENAI).apiKey("sk-live\n"))
                .hasMessageContaining("trailing newline");
        assertThatThrownBy(() -> ProviderSettings.builder("Open AI", WireFormat.OPENAI)).hasMessageContaining("provider name");
        assertThatThrownBy(() -> ProviderSettings.builder("x", WireFormat.OPENAI).baseUrl("ftp://host"))
                .hasMessageContaining("base-url");
    }
}
