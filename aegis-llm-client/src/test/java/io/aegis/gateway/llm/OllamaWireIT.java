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
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Ollama /api/chat (NDJSON) against the fixtures. */
class OllamaWireIT {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MockProvider mock = new MockProvider(Reply.json(200, "ollama/chat-response.json"));
    final LlmProvider ollama = Providers.create(ProviderSettings.builder("ollama", WireFormat.OLLAMA)
            .baseUrl(mock.baseUrl()).build(), scheduler, Clock.systemUTC());
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        mock.close();
        scheduler.shutdownNow();
    }

    @Test
    void completeSendsOptionsAndReadsCounters() throws Exception {
        LlmResponse r = ollama.complete(OpenAiWireIT.request(), "llama3.2").join();

        assertThat(r.content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(r.usage()).isEqualTo(Usage.of(38, 14));
        JsonNode body = json.readTree(mock.last().body());
        JsonNode expected = json.readTree(Fixtures.text("ollama/chat-request.json"));
        assertThat(body.get("messages")).isEqualTo(expected.get("messages"));
        assertThat(body.get("options")).isEqualTo(expected.get("options"));
        assertThat(body.get("stream").asBoolean()).isFalse();
        assertThat(mock.last().headers()).doesNotContainKey("authorization");
    }

    @Test
    void ndjsonStream() {
        mock.then(Reply.stream("ollama/chat-stream.ndjson"));
        List<StreamEvent> events = Collect.all(ollama.stream(OpenAiWireIT.request(), "llama3.2"));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).usage()).isEqualTo(Usage.of(38, 14));
    }

    @Test
    void missingCountersAreEstimatedAndMarked() {
        mock.then(Reply.jsonText(200, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Hello there\"},"
                + "\"done\":true,\"done_reason\":\"stop\",\"eval_count\":3}"));
        LlmResponse r = ollama.complete(OpenAiWireIT.request(), "llama3.2").join();

        assertThat(r.usage().estimated()).isTrue();
        assertThat(r.usage().outputTokens()).isEqualTo(3);
        assertThat(r.usage().inputTokens()).isPositive();
    }

    @Test
    void inStreamErrorLineBusyAndMissingModel() {
        mock.then(Reply.stream("ollama/chat-stream.ndjson").cutAfter(2),
                Reply.jsonText(200, "{\"model\":\"llama3.2\",\"message\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"done\":false}\n"
                        + "{\"error\":\"an error was encountered while running the model\"}\n"),
                Reply.json(503, "ollama/error-503-busy.json"),
                Reply.json(404, "ollama/error-404-model-not-found.json"));

        Collect.Outcome cut = Collect.outcome(ollama.stream(OpenAiWireIT.request(), "llama3.2"));
        assertThat(((LlmException) cut.error()).kind()).isEqualTo(LlmErrorKind.STREAM_INTERRUPTED);
        Collect.Outcome inBand = Collect.outcome(ollama.stream(OpenAiWireIT.request(), "llama3.2"));
        assertThat(inBand.text()).isEqualTo("Hi");
        assertThat(((LlmException) inBand.error()).kind()).isEqualTo(LlmErrorKind.SERVER_ERROR);
        assertThat(failure(() -> ollama.complete(OpenAiWireIT.request(), "llama3.2").join()).kind())
                .isEqualTo(LlmErrorKind.OVERLOADED);
        assertThat(failure(() -> ollama.complete(OpenAiWireIT.request(), "llama3.2").join()).kind())
                .isEqualTo(LlmErrorKind.MODEL_NOT_FOUND);
    }
}
