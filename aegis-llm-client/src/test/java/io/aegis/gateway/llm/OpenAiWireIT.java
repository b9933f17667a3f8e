package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.llm.spi.LlmProvider;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** OpenAI Chat Completions over real HTTP against the fixtures. */
class OpenAiWireIT {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MockProvider mock = new MockProvider(Reply.json(200, "openai/chat-response.json"));
    final LlmProvider openai = Providers.create(ProviderSettings.builder("openai", WireFormat.OPENAI)
            .baseUrl(mock.baseUrl()).apiKey("sk-test-0123456789").idleTimeout(Duration.ofSeconds(2)).build(),
            scheduler, Clock.systemUTC());
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        mock.close();
        scheduler.shutdownNow();
    }

    static LlmRequest request() {
        return LlmRequest.builder().system("You are a concise assistant for the order-service. Answer in one sentence.")
                .user("Summarize the status of order #4521.").temperature(0.2).maxTokens(256).build();
    }

    @Test
    void completeSendsTheDocumentedRequestAndReadsTheAnswer() throws Exception {
        LlmResponse r = openai.complete(request(), "gpt-4o-mini").join();

        assertThat(r.content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(r.usage()).isEqualTo(new Usage(34, 13, 0, 0, 0, false));
        MockProvider.Received req = mock.last();
        assertThat(req.path()).isEqualTo("/v1/chat/completions");
        assertThat(req.headers()).containsEntry("authorization", "Bearer sk-test-0123456789");
        JsonNode body = json.readTree(req.body());
        JsonNode expected = json.readTree(io.aegis.gateway.llm.testing.Fixtures.text("openai/chat-request.json"));
        assertThat(body.get("messages")).isEqualTo(expected.get("messages"));
        assertThat(body.get("max_completion_tokens")).isEqualTo(expected.get("max_completion_tokens"));
        assertThat(body.get("stream").asBoolean()).isFalse();
    }

    @Test
    void streamReplaysDeltasAndTheUsageChunk() throws Exception {
        mock.then(Reply.stream("openai/chat-stream.sse"));
        List<StreamEvent> events = Collect.all(openai.stream(request(), "gpt-4o-mini"));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        LlmResponse done = Collect.done(events);
        assertThat(done.usage()).isEqualTo(new Usage(34, 13, 0, 0, 0, false));
        assertThat(done.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(events.get(events.size() - 2)).isInstanceOf(StreamEvent.UsageReport.class);
        JsonNode body = json.readTree(mock.last().body());
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
    }

    @Test
    void streamedToolCallIsAssembledFromItsFragments() {
        mock.then(Reply.stream("openai/chat-stream-tool-call.sse"));
        List<StreamEvent> events = Collect.all(openai.stream(request(), "gpt-4o-mini"));

        LlmResponse done = Collect.done(events);
        assertThat(done.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(done.toolCalls()).containsExactly(new ToolCall("call_aegis0001", "get_order", "{\"order_id\": \"4521\"}"));
        assertThat(events).filteredOn(e -> e instanceof StreamEvent.ToolCallDelta).hasSize(4);
    }

    @Test
    void truncatedStreamIsAnInterruptionNotASuccess() {
        mock.then(Reply.stream("openai/chat-stream-truncated.sse"));
        Collect.Outcome o = Collect.outcome(openai.stream(request(), "gpt-4o-mini"));

        assertThat(o.text()).isEqualTo("Order #4521 has shipped");
        assertThat(o.error()).isInstanceOf(LlmException.class);
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.STREAM_INTERRUPTED);
    }

    @Test
    void inBandErrorFrameIsAServerError() {
        mock.then(Reply.stream("openai/chat-stream-midstream-error.sse"));
        Collect.Outcome o = Collect.outcome(openai.stream(request(), "gpt-4o-mini"));

        assertThat(o.text()).isEqualTo("Order #4521");
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.SERVER_ERROR);
        assertThat(((LlmException) o.error()).code()).isEqualTo("server_error");
    }

    @Test
    void rateLimitIsRetryableWithTheHint() {
        mock.then(Reply.error("openai/error-429-rate-limit.json", "openai/error-429-rate-limit.headers"));
        LlmException e = failure(() -> openai.complete(request(), "gpt-4o-mini").join());

        assertThat(e.kind()).isEqualTo(LlmErrorKind.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.getMessage()).doesNotContain("sk-test");
    }

    @Test
    void rateLimitWithoutRetryAfterUsesTheEmptyBucketsReset() {
        mock.then(Reply.jsonText(429, io.aegis.gateway.llm.testing.Fixtures.text("openai/error-429-rate-limit.json"))
                .header("x-ratelimit-remaining-tokens", "0").header("x-ratelimit-reset-tokens", "1.8s")
                .header("x-ratelimit-remaining-requests", "10").header("x-ratelimit-reset-requests", "6m0s"));
        LlmException e = failure(() -> openai.complete(request(), "gpt-4o-mini").join());

        assertThat(e.retryAfter()).isEqualTo(Duration.ofMillis(1800));
    }

    @Test
    void errorsMapToTheTaxonomy() {
        mock.then(Reply.json(429, "openai/error-429-insufficient-quota.json"),
                Reply.json(503, "openai/error-503-overloaded.json"),
                Reply.json(400, "openai/error-400-context-length.json"),
                Reply.json(401, "openai/error-401-invalid-key.json"),
                Reply.jsonText(500, "{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}"),
                Reply.jsonText(502, "<html>bad gateway</html>"));

        assertThat(kinds(6)).containsExactly(LlmErrorKind.QUOTA_EXHAUSTED, LlmErrorKind.OVERLOADED,
                LlmErrorKind.CONTEXT_TOO_LONG, LlmErrorKind.AUTHENTICATION, LlmErrorKind.SERVER_ERROR,
                LlmErrorKind.SERVER_ERROR);
    }

    @Test
    void unreachableProviderIsAServerErrorNamingIt() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        LlmProvider down = Providers.create(ProviderSettings.builder("openai", WireFormat.OPENAI)
                .baseUrl("http://127.0.0.1:" + port).apiKey("k").build(), scheduler, Clock.systemUTC());
        LlmException e = failure(() -> down.complete(request(), "gpt-4o-mini").join());
        assertThat(e.kind()).isEqualTo(LlmErrorKind.SERVER_ERROR);
        assertThat(e.getMessage()).contains("openai/gpt-4o-mini");
    }

    List<LlmErrorKind> kinds(int n) {
        List<LlmErrorKind> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(failure(() -> openai.complete(request(), "gpt-4o-mini").join()).kind());
        }
        return out;
    }

    static LlmException failure(Runnable r) {
        try {
            r.run();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(LlmException.class);
            return (LlmException) e.getCause();
        } catch (LlmException e) {
            return e;
        }
        assertThatThrownBy(() -> { }).as("expected a failure").isNotNull();
        throw new AssertionError("expected a failure");
    }
}
