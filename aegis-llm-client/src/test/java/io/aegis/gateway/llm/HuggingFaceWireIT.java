package io.aegis.gateway.llm;

import static io.aegis.gateway.llm.OpenAiWireIT.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.llm.spi.LlmProvider;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Hugging Face router (OpenAI-compatible) and TGI's /generate API against the fixtures. */
class HuggingFaceWireIT {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MockProvider mock = new MockProvider(Reply.json(200, "huggingface/router-chat-response.json"));
    final LlmProvider router = Providers.create(ProviderSettings.builder("huggingface", WireFormat.HUGGINGFACE)
            .baseUrl(mock.baseUrl()).apiKey("hf_test").build(), scheduler, Clock.systemUTC());
    final LlmProvider tgi = Providers.create(ProviderSettings.builder("tgi", WireFormat.TGI)
            .baseUrl(mock.baseUrl()).build(), scheduler, Clock.systemUTC());
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        mock.close();
        scheduler.shutdownNow();
    }

    @Test
    void routerSendsMaxTokensAndThePinnedServingProvider() throws Exception {
        LlmResponse r = router.complete(OpenAiWireIT.request(), "meta-llama/Llama-3.1-8B-Instruct:cerebras").join();

        assertThat(r.content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(r.usage()).isEqualTo(Usage.of(52, 14));
        JsonNode body = json.readTree(mock.last().body());
        assertThat(body.get("model").asText()).isEqualTo("meta-llama/Llama-3.1-8B-Instruct:cerebras");
        assertThat(body.get("max_tokens").asInt()).isEqualTo(256);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(mock.last().headers()).containsEntry("authorization", "Bearer hf_test");
    }

    @Test
    void routerStreamAndTgiChatStreamWithoutSpaceAfterData() {
        mock.then(Reply.stream("huggingface/router-chat-stream.sse"), Reply.stream("huggingface/tgi-chat-stream.sse"));

        List<StreamEvent> a = Collect.all(router.stream(OpenAiWireIT.request(), "meta-llama/Llama-3.1-8B-Instruct"));
        List<StreamEvent> b = Collect.all(router.stream(OpenAiWireIT.request(), "tgi"));

        assertThat(Collect.text(a)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(a).usage()).isEqualTo(Usage.of(52, 14));
        assertThat(Collect.text(b)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(b).usage()).isEqualTo(Usage.of(41, 14));
    }

    @Test
    void hubErrorsAreStrings() {
        mock.then(Reply.jsonText(402, "{\"error\": \"You have exceeded your monthly included credits for Inference Providers.\"}"),
                Reply.jsonText(401, "{\"error\": \"Invalid credentials in Authorization header\"}"),
                Reply.jsonText(503, "{\"error\":{\"message\":\"Service temporarily unavailable.\",\"type\":\"service_unavailable\"}}"));

        assertThat(failure(() -> router.complete(OpenAiWireIT.request(), "m").join()).kind())
                .isEqualTo(LlmErrorKind.QUOTA_EXHAUSTED);
        assertThat(failure(() -> router.complete(OpenAiWireIT.request(), "m").join()).kind())
                .isEqualTo(LlmErrorKind.AUTHENTICATION);
        assertThat(failure(() -> router.complete(OpenAiWireIT.request(), "m").join()).kind())
                .isEqualTo(LlmErrorKind.OVERLOADED);
    }

    @Test
    void tgiGenerateRendersThePromptAndEstimatesInput() throws Exception {
        mock.then(Reply.json(200, "huggingface/tgi-generate-response.json"));
        LlmResponse r = tgi.complete(LlmRequest.builder().user("Summarize the status of order #4521.").maxTokens(64).build(),
                "tgi").join();

        assertThat(r.content()).isEqualTo("Order #4521 has shipped.");
        assertThat(r.usage().outputTokens()).isEqualTo(5);
        assertThat(r.usage().estimated()).isTrue();
        JsonNode body = json.readTree(mock.last().body());
        assertThat(body.get("inputs").asText()).isEqualTo("<|user|>\nSummarize the status of order #4521.\n<|assistant|>\n");
        assertThat(body.at("/parameters/max_new_tokens").asInt()).isEqualTo(64);
        assertThat(mock.last().path()).isEqualTo("/generate");
    }

    @Test
    void tgiGenerateStreamReadsInputLengthAtTheEnd() {
        mock.then(Reply.stream("huggingface/tgi-generate-stream.sse"));
        List<StreamEvent> events = Collect.all(tgi.stream(OpenAiWireIT.request(), "tgi"));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped.");
        assertThat(Collect.done(events).usage()).isEqualTo(Usage.of(19, 5));
        assertThat(mock.last().path()).isEqualTo("/generate_stream");
    }

    @Test
    void tgiInStreamErrorAndOverload() {
        mock.then(Reply.stream("huggingface/tgi-generate-stream-error.sse"),
                Reply.json(429, "huggingface/tgi-error-429-overloaded.json"),
                Reply.json(422, "huggingface/tgi-error-422-validation.json"));

        Collect.Outcome o = Collect.outcome(tgi.stream(OpenAiWireIT.request(), "tgi"));
        assertThat(o.text()).isEqualTo("Order #");
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.SERVER_ERROR);
        assertThat(failure(() -> tgi.complete(OpenAiWireIT.request(), "tgi").join()).kind())
                .isEqualTo(LlmErrorKind.OVERLOADED);
        assertThat(failure(() -> tgi.complete(OpenAiWireIT.request(), "tgi").join()).kind())
                .isEqualTo(LlmErrorKind.CONTEXT_TOO_LONG);
    }
}
