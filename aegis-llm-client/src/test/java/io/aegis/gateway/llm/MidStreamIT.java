package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The mid-stream contract, over real HTTP streams from two mock providers. */
class MidStreamIT {

    final MockProvider openai = new MockProvider(Reply.stream("openai/chat-stream.sse"));
    final MockProvider anthropic = new MockProvider(Reply.stream("anthropic/messages-stream.sse"));
    final ObjectMapper json = new ObjectMapper();
    LlmClient client;

    LlmClient.Builder builder(Duration idle, Duration total) {
        return LlmClient.builder()
                .provider(ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("sk-a")
                        .idleTimeout(idle).timeout(total).build())
                .provider(ProviderSettings.builder("anthropic", WireFormat.ANTHROPIC).baseUrl(anthropic.baseUrl())
                        .apiKey("sk-b").model("claude-sonnet-4-5").build())
                .retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO)
                .cache(null);
    }

    LlmClient.Builder builder() {
        return builder(Duration.ofSeconds(5), Duration.ofSeconds(30));
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        openai.close();
        anthropic.close();
    }

    /** One ordinary call first, so connection set-up and warm-up do not count against short timeouts. */
    void warm() {
        Collect.all(client.stream(request(null).toBuilder().user("warm-up").build()));
    }

    static LlmRequest request(MidStreamPolicy policy) {
        return OpenAiWireIT.request().toBuilder().midStream(policy).build();
    }

    @Test
    void beforeTheFirstTokenFailoverIsTransparent() {
        client = builder().build();
        openai.then(Reply.json(503, "openai/error-503-overloaded.json"));

        List<StreamEvent> events = Collect.all(client.stream(request(null)));

        assertThat(events).noneMatch(e -> e instanceof StreamEvent.Failed);
        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).provider()).isEqualTo("anthropic");
        assertThat(Collect.done(events).attempts()).isEqualTo(2);
    }

    @Test
    void aStreamCutBeforeAnyTextAlsoFailsOverTransparently() {
        client = builder().build();
        openai.then(Reply.stream("openai/chat-stream.sse").cutAfter(1));

        List<StreamEvent> events = Collect.all(client.stream(request(null)));

        assertThat(Collect.done(events).provider()).isEqualTo("anthropic");
        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
    }

    @Test
    void afterTheFirstTokenTheDefaultIsATypedIncompleteError() {
        client = builder().build();
        openai.then(Reply.stream("openai/chat-stream-truncated.sse"));

        Collect.Outcome o = Collect.outcome(client.stream(request(null)));

        assertThat(o.text()).isEqualTo("Order #4521 has shipped");
        assertThat(o.events().get(o.events().size() - 1)).isInstanceOf(StreamEvent.Failed.class);
        assertThat(o.error()).isInstanceOfSatisfying(IncompleteResponseException.class, e -> {
            assertThat(e.partialContent()).isEqualTo("Order #4521 has shipped");
            assertThat(e.interruption().kind()).isEqualTo(LlmErrorKind.STREAM_INTERRUPTED);
            assertThat(e.inToolCall()).isFalse();
        });
        assertThat(o.completed()).isFalse();
        assertThat(anthropic.calls()).isZero();
    }

    @Test
    void inBandErrorAfterTextIsIncompleteWithItsCause() {
        client = builder().route("anthropic", "openai").build();
        anthropic.then(Reply.stream("anthropic/messages-stream-midstream-error.sse"));

        Collect.Outcome o = Collect.outcome(client.stream(request(MidStreamPolicy.fail())));

        assertThat(o.error()).isInstanceOfSatisfying(IncompleteResponseException.class, e -> {
            assertThat(e.partialContent()).isEqualTo("Order #4521");
            assertThat(e.interruption().kind()).isEqualTo(LlmErrorKind.OVERLOADED);
        });
    }

    @Test
    void bufferedRestartHidesAFailureWhileTheTextIsHeldBack() {
        client = builder().build();
        openai.then(Reply.stream("openai/chat-stream-truncated.sse"));

        List<StreamEvent> events = Collect.all(client.stream(request(MidStreamPolicy.bufferedRestart(10, Duration.ofSeconds(5)))));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).provider()).isEqualTo("anthropic");
    }

    @Test
    void bufferedRestartReleasesAfterItsTokensAndThenFails() {
        client = builder().build();
        openai.then(Reply.stream("openai/chat-stream-truncated.sse"));

        Collect.Outcome o = Collect.outcome(client.stream(request(MidStreamPolicy.bufferedRestart(1, Duration.ofSeconds(5)))));

        assertThat(o.error()).isInstanceOf(IncompleteResponseException.class);
        assertThat(o.text()).isEqualTo("Order #4521 has shipped");
    }

    @Test
    void bufferedRestartReleasesAfterItsTime() {
        client = builder().build();
        warm();
        openai.then(Reply.stream("openai/chat-stream.sse").gap(150));

        List<StreamEvent> events = new ArrayList<>();
        long[] firstDeltaAt = new long[1];
        long start = System.nanoTime();
        Collect.Outcome o = Collect.outcome(subscriber -> client.stream(request(
                MidStreamPolicy.bufferedRestart(100, Duration.ofMillis(200)))).subscribe(new Flow.Subscriber<>() {
                    @Override
                    public void onSubscribe(Flow.Subscription s) {
                        subscriber.onSubscribe(s);
                    }

                    @Override
                    public void onNext(StreamEvent e) {
                        if (e instanceof StreamEvent.Delta && firstDeltaAt[0] == 0) {
                            firstDeltaAt[0] = System.nanoTime();
                        }
                        events.add(e);
                        subscriber.onNext(e);
                    }

                    @Override
                    public void onError(Throwable t) {
                        subscriber.onError(t);
                    }

                    @Override
                    public void onComplete() {
                        subscriber.onComplete();
                    }
                }));

        assertThat(o.error()).isNull();
        long doneAt = System.nanoTime();
        // Released by time, long before the stream (8 events x 150ms) ended.
        assertThat(doneAt - firstDeltaAt[0]).isGreaterThan(Duration.ofMillis(300).toNanos());
        assertThat(firstDeltaAt[0] - start).isLessThan(Duration.ofMillis(2_000).toNanos());
    }

    @Test
    void prefillContinuesTheDeliveredTextOnACandidateThatSupportsIt() throws Exception {
        client = builder().build();
        openai.then(Reply.stream("openai/chat-stream-truncated.sse"));
        anthropic.then(Reply.streamText(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"model\":\"claude-sonnet-4-5\","
                        + "\"usage\":{\"input_tokens\":40,\"output_tokens\":1}}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"text_delta\",\"text\":\" and should arrive on Friday.\"}}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":7}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));

        List<StreamEvent> events = Collect.all(client.stream(request(MidStreamPolicy.prefill())));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        LlmResponse done = Collect.done(events);
        assertThat(done.content()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(done.provider()).isEqualTo("anthropic");
        assertThat(done.usage().estimated()).isTrue();
        assertThat(done.usage().outputTokens()).isGreaterThan(7);
        JsonNode messages = json.readTree(anthropic.last().body()).get("messages");
        JsonNode last = messages.get(messages.size() - 1);
        assertThat(last.get("role").asText()).isEqualTo("assistant");
        assertThat(last.get("content").asText()).isEqualTo("Order #4521 has shipped");
    }

    @Test
    void prefillWithoutACapableCandidateFails() {
        client = LlmClient.builder()
                .provider(ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("a").build())
                .provider(ProviderSettings.builder("backup", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("b").build())
                .retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO).cache(null).build();
        openai.then(Reply.stream("openai/chat-stream-truncated.sse"));

        Collect.Outcome o = Collect.outcome(client.stream(request(MidStreamPolicy.prefill())));

        assertThat(o.error()).isInstanceOfSatisfying(IncompleteResponseException.class,
                e -> assertThat(e.getMessage()).contains("prefill"));
        assertThat(openai.calls()).isEqualTo(1);
    }

    @Test
    void aToolCallIsNeverResumed() {
        client = builder().build();
        openai.then(Reply.stream("openai/chat-stream-tool-call.sse").cutAfter(2));

        Collect.Outcome o = Collect.outcome(client.stream(request(MidStreamPolicy.prefill())));

        assertThat(o.error()).isInstanceOfSatisfying(IncompleteResponseException.class,
                e -> assertThat(e.inToolCall()).isTrue());
        assertThat(anthropic.calls()).isZero();
    }

    @Test
    void aStallAfterTheFirstTokenIsCaughtByTheIdleTimeout() {
        client = builder(Duration.ofMillis(500), Duration.ofSeconds(30)).build();
        warm();
        openai.then(Reply.stream("openai/chat-stream.sse").stallAfter(3, 10_000));
        long start = System.nanoTime();

        Collect.Outcome o = Collect.outcome(client.stream(request(null)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(o.error()).isInstanceOfSatisfying(IncompleteResponseException.class, e -> {
            assertThat(e.interruption().kind()).isEqualTo(LlmErrorKind.TIMEOUT);
            assertThat(e.interruption().getMessage()).contains("idle timeout");
        });
    }

    @Test
    void aStallBeforeTheFirstTokenFailsOver() {
        client = builder(Duration.ofMillis(300), Duration.ofSeconds(30)).build();
        openai.then(Reply.stream("openai/chat-stream.sse").stallAfter(0, 10_000));

        List<StreamEvent> events = Collect.all(client.stream(request(null)));

        assertThat(Collect.done(events).provider()).isEqualTo("anthropic");
    }

    @Test
    void theTotalTimeoutIsSeparateFromTheIdleTimeout() {
        // Data keeps coming (never idle for 2s), but the whole answer takes longer than 800ms.
        client = builder(Duration.ofSeconds(2), Duration.ofMillis(800)).route("openai").build();
        openai.then(Reply.stream("openai/chat-stream.sse").gap(300));
        long start = System.nanoTime();

        Collect.Outcome o = Collect.outcome(client.stream(request(null)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_400));
        assertThat(o.error()).isInstanceOf(LlmException.class);
        LlmException e = (LlmException) o.error();
        LlmException cause = e instanceof IncompleteResponseException ie ? ie.interruption() : e;
        assertThat(cause.kind()).isEqualTo(LlmErrorKind.TIMEOUT);
        assertThat(cause.getMessage()).contains("no complete answer within").doesNotContain("idle");
    }

    @Test
    void cancellingClosesTheHttpStream() throws Exception {
        client = builder().build();
        StringBuilder many = new StringBuilder();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            events.add("data: {\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"}}]}\n\n");
        }
        openai.then(Reply.streamText(events.toArray(String[]::new)).gap(20));
        CountDownLatch first = new CountDownLatch(1);
        Flow.Subscription[] sub = new Flow.Subscription[1];
        client.stream(request(null)).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                sub[0] = s;
                s.request(1);
            }

            @Override
            public void onNext(StreamEvent e) {
                first.countDown();
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onComplete() {
            }
        });
        assertThat(first.await(5, TimeUnit.SECONDS)).isTrue();
        sub[0].cancel();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (openai.aborted() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(openai.aborted()).as("server saw the connection closed").isEqualTo(1);
        assertThat(many).isEmpty();
    }

    @Test
    void nothingIsDeliveredWithoutDemand() throws Exception {
        client = builder().build();
        List<StreamEvent> got = new java.util.concurrent.CopyOnWriteArrayList<>();
        Flow.Subscription[] sub = new Flow.Subscription[1];
        CountDownLatch end = new CountDownLatch(1);
        client.stream(request(null)).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                sub[0] = s;
                s.request(1);
            }

            @Override
            public void onNext(StreamEvent e) {
                got.add(e);
            }

            @Override
            public void onError(Throwable t) {
                end.countDown();
            }

            @Override
            public void onComplete() {
                end.countDown();
            }
        });
        Thread.sleep(300);
        assertThat(got).hasSize(1);
        sub[0].request(2);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (got.size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        Thread.sleep(200);
        assertThat(got).hasSize(3);
        sub[0].request(Long.MAX_VALUE);
        assertThat(end.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Collect.text(got)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
    }

    static final String NOT_JSON_STREAM = "openai/chat-stream.sse";

    @Test
    void anAnswerRefusedAfterItsTextWasDeliveredEndsWithAValidationFailure() {
        client = builder().build();
        openai.then(Reply.stream(NOT_JSON_STREAM));
        LlmRequest json = request(null).toBuilder().responseFormat(ResponseFormat.jsonObject()).build();

        Collect.Outcome o = Collect.outcome(client.stream(json));

        assertThat(o.text()).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(o.events().get(o.events().size() - 1)).isInstanceOf(StreamEvent.Failed.class);
        assertThat(((LlmException) o.error()).kind()).isEqualTo(LlmErrorKind.VALIDATION_FAILED);
        assertThat(anthropic.calls()).isZero();
    }

    @Test
    void anAnswerRefusedWhileStillHeldBackFailsOverInvisibly() {
        client = builder().build();
        openai.then(Reply.stream(NOT_JSON_STREAM));
        anthropic.then(Reply.streamText(
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                        + "{\"type\":\"text_delta\",\"text\":\"{\\\"status\\\": \\\"shipped\\\"}\"}}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},"
                        + "\"usage\":{\"output_tokens\":6}}\n\n",
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        LlmRequest json = request(MidStreamPolicy.bufferedRestart(1_000, Duration.ofSeconds(10))).toBuilder()
                .responseFormat(ResponseFormat.jsonObject()).build();

        List<StreamEvent> events = Collect.all(client.stream(json));

        assertThat(Collect.text(events)).isEqualTo("{\"status\": \"shipped\"}");
        assertThat(Collect.done(events).provider()).isEqualTo("anthropic");
    }
}
