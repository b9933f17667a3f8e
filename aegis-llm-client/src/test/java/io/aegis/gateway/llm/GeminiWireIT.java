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

/** Gemini generateContent / streamGenerateContent over real HTTP against the fixtures. */
class GeminiWireIT {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MockProvider mock = new MockProvider(Reply.json(200, "gemini/generate-response.json"));
    final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    final LlmProvider gemini = Providers.create(ProviderSettings.builder("gemini", WireFormat.GEMINI)
            .baseUrl(mock.baseUrl()).apiKey("AIza-test").build(), scheduler, clock);
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        mock.close();
        scheduler.shutdownNow();
    }

    @Test
    void completeUsesTheKeyHeaderAndCountsThoughtsAsOutput() throws Exception {
        LlmResponse r = gemini.complete(OpenAiWireIT.request(), "gemini-2.5-flash").join();

        assertThat(r.content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(r.usage()).isEqualTo(new Usage(24, 62, 0, 0, 48, false));
        MockProvider.Received req = mock.last();
        assertThat(req.path()).isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
        assertThat(req.headers()).containsEntry("x-goog-api-key", "AIza-test");
        JsonNode body = json.readTree(req.body());
        JsonNode expected = json.readTree(Fixtures.text("gemini/generate-request.json"));
        assertThat(body.get("systemInstruction")).isEqualTo(expected.get("systemInstruction"));
        assertThat(body.get("contents")).isEqualTo(expected.get("contents"));
        assertThat(body.at("/generationConfig/maxOutputTokens").asInt()).isEqualTo(256);
    }

    @Test
    void crlfStreamKeepsTheLastCumulativeUsage() {
        mock.then(Reply.stream("gemini/stream.sse"));
        List<StreamEvent> events = Collect.all(gemini.stream(OpenAiWireIT.request(), "gemini-2.5-flash"));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).usage()).isEqualTo(new Usage(24, 62, 0, 0, 48, false));
        assertThat(mock.last().path()).isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse");
    }

    @Test
    void streamCutBeforeTheFinishReasonIsAnInterruption() {
        mock.then(Reply.stream("gemini/stream.sse").cutAfter(1));
        Collect.Outcome o = Collect.outcome(gemini.stream(OpenAiWireIT.request(), "gemini-2.5-flash"));

        assertThat(o.text()).isEqualTo("Order #4521 has shipped");
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.STREAM_INTERRUPTED);
    }

    @Test
    void http200WithoutCandidatesIsContentFiltered() {
        mock.then(Reply.json(200, "gemini/response-prompt-blocked.json"));
        LlmException e = failure(() -> gemini.complete(OpenAiWireIT.request(), "gemini-2.5-flash").join());

        assertThat(e.kind()).isEqualTo(LlmErrorKind.CONTENT_FILTERED);
        assertThat(e.code()).isEqualTo("SAFETY");
        assertThat(e.kind().failover()).isTrue();
    }

    @Test
    void resourceExhaustedCarriesRetryInfoAndBadKeyIsAuthentication() {
        mock.then(Reply.error("gemini/error-429-resource-exhausted.json", "gemini/error-429-resource-exhausted.headers"),
                Reply.json(400, "gemini/error-400-api-key-invalid.json"),
                Reply.json(503, "gemini/error-503-unavailable.json"));

        LlmException rate = failure(() -> gemini.complete(OpenAiWireIT.request(), "m").join());
        assertThat(rate.kind()).isEqualTo(LlmErrorKind.RATE_LIMITED);
        assertThat(rate.retryAfter()).isEqualTo(Duration.ofSeconds(41));
        assertThat(failure(() -> gemini.complete(OpenAiWireIT.request(), "m").join()).kind())
                .isEqualTo(LlmErrorKind.AUTHENTICATION);
        assertThat(failure(() -> gemini.complete(OpenAiWireIT.request(), "m").join()).kind())
                .isEqualTo(LlmErrorKind.OVERLOADED);
    }

    @Test
    void dailyQuotaIsExhaustedUntilPacificMidnight() {
        String daily = Fixtures.text("gemini/error-429-resource-exhausted.json")
                .replace("GenerateRequestsPerMinutePerProjectPerModel-FreeTier", "GenerateRequestsPerDayPerProjectPerModel-FreeTier");
        mock.then(Reply.jsonText(429, daily));
        LlmException e = failure(() -> gemini.complete(OpenAiWireIT.request(), "m").join());

        assertThat(e.kind()).isEqualTo(LlmErrorKind.QUOTA_EXHAUSTED);
        assertThat(e.resetAt()).isEqualTo(Instant.parse("2026-11-27T08:00:00Z"));
    }
}
