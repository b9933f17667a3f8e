package io.aegis.gateway.llm;

import static io.aegis.gateway.llm.OpenAiWireIT.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.llm.spi.LlmProvider;
import io.aegis.gateway.llm.testing.Fixtures;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Anthropic Messages over real HTTP against the fixtures. */
class AnthropicWireIT {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MockProvider mock = new MockProvider(Reply.json(200, "anthropic/messages-response.json"));
    final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    final LlmProvider anthropic = Providers.create(ProviderSettings.builder("anthropic", WireFormat.ANTHROPIC)
            .baseUrl(mock.baseUrl()).apiKey("sk-ant-test").build(), scheduler, clock);
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        mock.close();
        scheduler.shutdownNow();
    }

    @Test
    void completeSendsSystemTopLevelAndVersionHeader() throws Exception {
        LlmResponse r = anthropic.complete(OpenAiWireIT.request(), "claude-sonnet-4-5-20250929").join();

        assertThat(r.content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(r.usage()).isEqualTo(new Usage(29, 14, 0, 0, 0, false));
        MockProvider.Received req = mock.last();
        assertThat(req.path()).isEqualTo("/v1/messages");
        assertThat(req.headers()).containsEntry("x-api-key", "sk-ant-test").containsEntry("anthropic-version", "2023-06-01")
                .doesNotContainKey("authorization");
        JsonNode body = json.readTree(req.body());
        JsonNode expected = json.readTree(Fixtures.text("anthropic/messages-request.json"));
        assertThat(body.get("system")).isEqualTo(expected.get("system"));
        assertThat(body.get("messages")).isEqualTo(expected.get("messages"));
        assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void cacheTokensAreAddedIntoTheInput() {
        mock.then(Reply.jsonText(200, "{\"type\":\"message\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"ok\"}],\"stop_reason\":\"max_tokens\",\"usage\":{\"input_tokens\":100,"
                + "\"cache_creation_input_tokens\":2000,\"cache_read_input_tokens\":30000,\"output_tokens\":50}}"));
        LlmResponse r = anthropic.complete(OpenAiWireIT.request(), "claude-sonnet-4-5").join();

        assertThat(r.usage()).isEqualTo(new Usage(32100, 50, 30000, 2000, 0, false));
        assertThat(r.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void streamUsesCumulativeOutputUsageAndIgnoresPing() {
        mock.then(Reply.stream("anthropic/messages-stream.sse"));
        List<StreamEvent> events = Collect.all(anthropic.stream(OpenAiWireIT.request(), "claude-sonnet-4-5-20250929"));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        LlmResponse done = Collect.done(events);
        assertThat(done.usage()).isEqualTo(new Usage(29, 14, 0, 0, 0, false));
        assertThat(done.model()).isEqualTo("claude-sonnet-4-5-20250929");
    }

    @Test
    void inBandOverloadedErrorAfterPartialText() {
        mock.then(Reply.stream("anthropic/messages-stream-midstream-error.sse"));
        Collect.Outcome o = Collect.outcome(anthropic.stream(OpenAiWireIT.request(), "claude-sonnet-4-5"));

        assertThat(o.text()).isEqualTo("Order #4521");
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.OVERLOADED);
    }

    @Test
    void rateLimitAndSpendLimitAreToldApart() {
        mock.then(Reply.error("anthropic/error-429-rate-limit.json", "anthropic/error-429-rate-limit.headers"),
                Reply.json(429, "anthropic/error-429-spend-limit.json"));

        LlmException rate = failure(() -> anthropic.complete(OpenAiWireIT.request(), "m").join());
        LlmException spend = failure(() -> anthropic.complete(OpenAiWireIT.request(), "m").join());

        assertThat(rate.kind()).isEqualTo(LlmErrorKind.RATE_LIMITED);
        assertThat(rate.retryAfter()).isEqualTo(Duration.ofSeconds(17));
        assertThat(spend.kind()).isEqualTo(LlmErrorKind.QUOTA_EXHAUSTED);
        assertThat(spend.kind().retryable()).isFalse();
    }

    @Test
    void rateLimitWithoutRetryAfterUsesTheResetOfTheEmptyBucket() {
        mock.then(Reply.json(429, "anthropic/error-429-rate-limit.json")
                .header("anthropic-ratelimit-input-tokens-remaining", "0")
                .header("anthropic-ratelimit-input-tokens-reset", "2026-11-26T10:00:17Z")
                .header("anthropic-ratelimit-output-tokens-remaining", "7200")
                .header("anthropic-ratelimit-output-tokens-reset", "2026-11-26T10:00:02Z"));
        LlmException e = failure(() -> anthropic.complete(OpenAiWireIT.request(), "m").join());

        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(17));
    }

    @Test
    void overloadedAndPromptTooLong() {
        mock.then(Reply.error("anthropic/error-529-overloaded.json", "anthropic/error-529-overloaded.headers"),
                Reply.json(400, "anthropic/error-400-prompt-too-long.json"));

        assertThat(failure(() -> anthropic.complete(OpenAiWireIT.request(), "m").join()).kind())
                .isEqualTo(LlmErrorKind.OVERLOADED);
        assertThat(failure(() -> anthropic.complete(OpenAiWireIT.request(), "m").join()).kind())
                .isEqualTo(LlmErrorKind.CONTEXT_TOO_LONG);
    }

    @Test
    void trailingAssistantMessageIsSentAsPrefillWithoutTrailingSpace() throws Exception {
        LlmRequest r = OpenAiWireIT.request().toBuilder().assistant("Order #4521 has ").build();
        anthropic.complete(r, "claude-sonnet-4-5").join();

        JsonNode messages = json.readTree(mock.last().body()).get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.get("role").asText()).isEqualTo("assistant");
        assertThat(last.get("content").asText()).isEqualTo("Order #4521 has");
        assertThat(anthropic.supportsPrefill()).isTrue();
    }

    @Test
    void toolsAndToolResultsUseContentBlocks() throws Exception {
        LlmRequest r = LlmRequest.builder().user("Where is order 4521?")
                .tool(new ToolDefinition("get_order", "Looks up an order",
                        "{\"type\":\"object\",\"properties\":{\"order_id\":{\"type\":\"string\"}}}"))
                .message(Message.assistant("", List.of(new ToolCall("toolu_1", "get_order", "{\"order_id\":\"4521\"}"))))
                .message(Message.tool("toolu_1", "get_order", "{\"status\":\"shipped\"}")).build();
        anthropic.complete(r, "claude-sonnet-4-5").join();

        JsonNode body = json.readTree(mock.last().body());
        assertThat(body.at("/tools/0/input_schema/properties/order_id/type").asText()).isEqualTo("string");
        assertThat(body.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(body.at("/messages/1/content/0/input/order_id").asText()).isEqualTo("4521");
        assertThat(body.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(body.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo("toolu_1");
    }
}
