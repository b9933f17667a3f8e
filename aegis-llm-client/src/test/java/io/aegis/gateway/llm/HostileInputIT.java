package io.aegis.gateway.llm;

import static io.aegis.gateway.llm.OpenAiWireIT.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.llm.spi.LlmProvider;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Broken, oversized and odd provider answers: never a silent success, never unbounded memory. */
class HostileInputIT {

    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    final MockProvider mock = new MockProvider(Reply.json(200, "openai/chat-response.json"));
    final LlmProvider openai = Providers.create(ProviderSettings.builder("openai", WireFormat.OPENAI)
            .baseUrl(mock.baseUrl()).apiKey("k").build(), scheduler, Clock.systemUTC());

    @AfterEach
    void close() {
        mock.close();
        scheduler.shutdownNow();
    }

    @Test
    void aBodyThatIsNotJsonIsAServerError() {
        mock.then(Reply.jsonText(200, "<html>maintenance</html>"), Reply.jsonText(200, "[1,2,3]"),
                Reply.jsonText(200, "{\"choices\":[]}"));
        for (int i = 0; i < 3; i++) {
            assertThat(failure(() -> openai.complete(OpenAiWireIT.request(), "m").join()).kind())
                    .isEqualTo(LlmErrorKind.SERVER_ERROR);
        }
    }

    @Test
    void anOversizedAnswerIsRefusedNotBuffered() {
        String huge = "{\"choices\":[{\"message\":{\"content\":\"" + "x".repeat(17 << 20) + "\"}}]}";
        mock.then(Reply.jsonText(200, huge));
        LlmException e = failure(() -> openai.complete(OpenAiWireIT.request(), "m").join());
        assertThat(e.kind()).isEqualTo(LlmErrorKind.SERVER_ERROR);
        assertThat(e.getMessage()).contains("larger than");
    }

    @Test
    void anOversizedErrorBodyIsTruncatedAndStillClassified() {
        String body = "{\"error\":{\"message\":\"" + "y".repeat(200_000) + "\",\"code\":\"rate_limit_exceeded\"}}";
        mock.then(Reply.jsonText(429, body));
        LlmException e = failure(() -> openai.complete(OpenAiWireIT.request(), "m").join());
        assertThat(e.kind()).isEqualTo(LlmErrorKind.RATE_LIMITED);
        assertThat(e.getMessage().length()).isLessThan(1_000);
    }

    @Test
    void anOverlongStreamLineFailsTheStream() {
        mock.then(Reply.streamText("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + "z".repeat(5 << 20) + "\"}}]}\n\n"));
        Collect.Outcome o = Collect.outcome(openai.stream(OpenAiWireIT.request(), "m"));
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.SERVER_ERROR);
        assertThat(o.error().getMessage()).contains("line longer than");
    }

    @Test
    void garbageAndDoubleEncodedFramesAreSkippedAndTheMissingEndIsReported() {
        mock.then(Reply.streamText(
                "data: not json\n\n",
                "data: \"{\\\"choices\\\":[{\\\"index\\\":0,\\\"delta\\\":{\\\"content\\\":\\\"hidden\\\"}}]}\"\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"주문 #4521 😀\"}}]}\n\n",
                ": a comment\n\nevent: unknown\ndata: {}\n\n"));
        Collect.Outcome o = Collect.outcome(openai.stream(OpenAiWireIT.request(), "m"));
        assertThat(o.text()).isEqualTo("주문 #4521 😀");
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.STREAM_INTERRUPTED);
    }

    @Test
    void choicesOtherThanTheFirstAreIgnored() {
        mock.then(Reply.streamText(
                "data: {\"choices\":[{\"index\":1,\"delta\":{\"content\":\"other\"}},{\"index\":0,\"delta\":{\"content\":\"mine\"}}]}\n\n",
                "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
                "data: [DONE]\n\n"));
        var events = Collect.all(openai.stream(OpenAiWireIT.request(), "m"));
        assertThat(Collect.text(events)).isEqualTo("mine");
        assertThat(Collect.done(events).finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(Collect.done(events).usage().estimated()).isTrue();
    }
}
