package io.aegis.gateway.llm;

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

/** OpenAI Responses API over real HTTP against the fixtures. */
class OpenAiResponsesWireIT {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MockProvider mock = new MockProvider(Reply.json(200, "openai/responses-response.json"));
    final LlmProvider responses = Providers.create(ProviderSettings.builder("openai", WireFormat.OPENAI_RESPONSES)
            .baseUrl(mock.baseUrl()).apiKey("sk-r").build(), scheduler, Clock.systemUTC());
    final ObjectMapper json = new ObjectMapper();

    @AfterEach
    void close() {
        mock.close();
        scheduler.shutdownNow();
    }

    @Test
    void completeSendsInstructionsAndInputAndReadsOutputItems() throws Exception {
        LlmResponse r = responses.complete(OpenAiWireIT.request(), "gpt-4o-mini").join();

        assertThat(r.content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(r.usage()).isEqualTo(Usage.of(34, 13));
        assertThat(r.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        MockProvider.Received req = mock.last();
        assertThat(req.path()).isEqualTo("/v1/responses");
        assertThat(req.headers()).containsEntry("authorization", "Bearer sk-r");
        JsonNode body = json.readTree(req.body());
        JsonNode expected = json.readTree(Fixtures.text("openai/responses-request.json"));
        assertThat(body.get("instructions")).isEqualTo(expected.get("instructions"));
        assertThat(body.at("/input/0/content")).isEqualTo(expected.get("input"));
        assertThat(body.get("max_output_tokens")).isEqualTo(expected.get("max_output_tokens"));
        assertThat(body.get("store").asBoolean()).isFalse();
    }

    @Test
    void namedEventStreamEndsAtResponseCompleted() {
        mock.then(Reply.stream("openai/responses-stream.sse"));
        List<StreamEvent> events = Collect.all(responses.stream(OpenAiWireIT.request(), "gpt-4o-mini"));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).usage()).isEqualTo(Usage.of(34, 13));
    }

    @Test
    void aStreamCutBeforeResponseCompletedIsInterrupted() {
        mock.then(Reply.stream("openai/responses-stream.sse").cutAfter(8));
        Collect.Outcome o = Collect.outcome(responses.stream(OpenAiWireIT.request(), "gpt-4o-mini"));

        assertThat(o.text()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.STREAM_INTERRUPTED);
    }

    @Test
    void functionCallsAndIncompleteAnswers() {
        mock.then(Reply.streamText(
                "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,"
                        + "\"item\":{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"get_order\",\"arguments\":\"\"}}\n\n",
                "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
                        + "\"output_index\":0,\"delta\":\"{\\\"order_id\\\":\"}\n\n",
                "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\","
                        + "\"output_index\":0,\"delta\":\"\\\"4521\\\"}\"}\n\n",
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"status\":\"completed\","
                        + "\"model\":\"gpt-4o-mini\",\"usage\":{\"input_tokens\":50,\"input_tokens_details\":{\"cached_tokens\":20},"
                        + "\"output_tokens\":12,\"output_tokens_details\":{\"reasoning_tokens\":4}}}}\n\n"),
                Reply.jsonText(200, "{\"status\":\"incomplete\",\"incomplete_details\":{\"reason\":\"max_output_tokens\"},"
                        + "\"model\":\"gpt-4o-mini\",\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\","
                        + "\"text\":\"Order\"}]}],\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}"));

        LlmResponse tool = Collect.done(Collect.all(responses.stream(OpenAiWireIT.request(), "gpt-4o-mini")));
        assertThat(tool.toolCalls()).containsExactly(new ToolCall("call_1", "get_order", "{\"order_id\":\"4521\"}"));
        assertThat(tool.finishReason()).isEqualTo(FinishReason.TOOL_CALLS);
        assertThat(tool.usage()).isEqualTo(new Usage(50, 12, 20, 0, 4, false));

        LlmResponse cut = responses.complete(OpenAiWireIT.request(), "gpt-4o-mini").join();
        assertThat(cut.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void failedEventIsAnInBandError() {
        mock.then(Reply.streamText(
                "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Order\"}\n\n",
                "event: response.failed\ndata: {\"type\":\"response.failed\",\"response\":{\"status\":\"failed\","
                        + "\"error\":{\"code\":\"server_error\",\"message\":\"The model failed\"}}}\n\n"));
        Collect.Outcome o = Collect.outcome(responses.stream(OpenAiWireIT.request(), "gpt-4o-mini"));

        assertThat(o.text()).isEqualTo("Order");
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.SERVER_ERROR);
    }
}
