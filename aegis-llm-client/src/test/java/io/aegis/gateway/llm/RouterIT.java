package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Failover, retries, breakers and parking across two real HTTP mock providers. */
class RouterIT {

    final MockProvider openai = new MockProvider(Reply.json(200, "openai/chat-response.json"));
    final MockProvider anthropic = new MockProvider(Reply.json(200, "anthropic/messages-response.json"));
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    LlmClient client;

    LlmClient.Builder builder() {
        return LlmClient.builder()
                .provider(ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("sk-a").build())
                .provider(ProviderSettings.builder("anthropic", WireFormat.ANTHROPIC).baseUrl(anthropic.baseUrl())
                        .apiKey("sk-b").model("claude-sonnet-4-5").build())
                .retry(2, Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1))
                .circuitBreaker(2, Duration.ofSeconds(30))
                .nanoTime(nanos::get)
                .cache(null)
                .events(new GatewayEvents().addListener(events::add));
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        openai.close();
        anthropic.close();
    }

    static LlmRequest request() {
        return OpenAiWireIT.request();
    }

    @Test
    void retriesTheSameCandidateAfterTheProvidersHint() {
        client = builder().build();
        openai.then(Reply.error("openai/error-429-rate-limit.json", "openai/error-429-rate-limit.headers")
                .header("retry-after", "0.05"));

        LlmResponse r = client.complete(request());

        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(openai.calls()).isEqualTo(2);
        assertThat(anthropic.calls()).isZero();
        assertThat(r.cost()).isEqualByComparingTo("0.0000129");
    }

    @Test
    void aHintLongerThanTheLongestWaitParksTheCandidateAndFailsOver() {
        client = builder().build();
        openai.then(Reply.error("openai/error-429-rate-limit.json", "openai/error-429-rate-limit.headers")
                .header("retry-after", "20"));

        LlmResponse r = client.complete(request());

        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(openai.calls()).isEqualTo(1);
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.OPEN);
        assertThat(events).extracting(GatewayEvent::type).contains("llm.failover", "llm.credential.parked");
        // Parked: the next call goes straight to the second candidate.
        client.complete(request());
        assertThat(openai.calls()).isEqualTo(1);
        // After the hint has passed, the first candidate gets a trial call again.
        nanos.addAndGet(Duration.ofSeconds(21).toNanos());
        assertThat(client.complete(request()).provider()).isEqualTo("openai");
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void overloadedIsRetriedThenFailedOver() {
        client = builder().route("anthropic", "openai").build();
        anthropic.then(Reply.error("anthropic/error-529-overloaded.json", "anthropic/error-529-overloaded.headers"),
                Reply.error("anthropic/error-529-overloaded.json", "anthropic/error-529-overloaded.headers"));

        LlmResponse r = client.complete(request());

        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(anthropic.calls()).isEqualTo(2);
        // Two consecutive failures counted against health open the breaker (threshold 2).
        assertThat(client.circuit("anthropic", null)).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void circuitOpensAfterConsecutiveFailuresAndRecoversAfterItsCooldown() {
        client = builder().retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO).build();
        openai.fallback(Reply.json(503, "openai/error-503-overloaded.json"));

        client.complete(request());
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.CLOSED);
        client.complete(request());
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.OPEN);
        int before = openai.calls();
        client.complete(request());
        assertThat(openai.calls()).isEqualTo(before);

        nanos.addAndGet(Duration.ofSeconds(29).toNanos());
        client.complete(request());
        assertThat(openai.calls()).isEqualTo(before);

        openai.fallback(Reply.json(200, "openai/chat-response.json"));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(client.complete(request()).provider()).isEqualTo("openai");
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.CLOSED);
        assertThat(events).extracting(GatewayEvent::type).contains("llm.circuit.opened", "llm.circuit.half_open",
                "llm.circuit.closed");
    }

    @Test
    void failedTrialReopensTheCircuit() {
        client = builder().retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO).build();
        openai.fallback(Reply.json(503, "openai/error-503-overloaded.json"));
        client.complete(request());
        client.complete(request());
        nanos.addAndGet(Duration.ofSeconds(31).toNanos());
        int before = openai.calls();

        client.complete(request());

        assertThat(openai.calls()).isEqualTo(before + 1);
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void exhaustedQuotaIsNotRetriedAndParksTheCredential() {
        client = builder().park(Duration.ofHours(1), Duration.ofMinutes(5)).build();
        openai.then(Reply.json(429, "openai/error-429-insufficient-quota.json"));

        assertThat(client.complete(request()).provider()).isEqualTo("anthropic");
        assertThat(openai.calls()).isEqualTo(1);
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.OPEN);
        nanos.addAndGet(Duration.ofMinutes(59).toNanos());
        client.complete(request());
        assertThat(openai.calls()).isEqualTo(1);
    }

    @Test
    void badRequestIsNeitherRetriedNorFailedOver() {
        client = builder().build();
        openai.then(Reply.jsonText(400, "{\"error\":{\"message\":\"Invalid value for 'temperature'\","
                + "\"type\":\"invalid_request_error\",\"param\":\"temperature\",\"code\":\"invalid_value\"}}"));

        assertThatThrownBy(() -> client.complete(request())).isInstanceOfSatisfying(LlmException.class, e -> {
            assertThat(e.kind()).isEqualTo(LlmErrorKind.BAD_REQUEST);
            assertThat(e.provider()).isEqualTo("openai");
        });
        assertThat(anthropic.calls()).isZero();
    }

    @Test
    void everyCandidateFailingIsUnavailableWithEveryCause() {
        client = builder().retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO).build();
        openai.fallback(Reply.json(503, "openai/error-503-overloaded.json"));
        anthropic.fallback(Reply.jsonText(401, "{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\","
                + "\"message\":\"invalid x-api-key\"}}"));

        assertThatThrownBy(() -> client.complete(request())).isInstanceOfSatisfying(LlmException.class, e -> {
            assertThat(e.kind()).isEqualTo(LlmErrorKind.UNAVAILABLE);
            assertThat(e.getMessage()).contains("openai/gpt-4o-mini OVERLOADED").contains("anthropic/claude-sonnet-4-5 AUTHENTICATION");
            assertThat(e.getCause()).isInstanceOf(LlmException.class);
            assertThat(e.getSuppressed()).hasSize(1);
        });
    }

    @Test
    void anAnswerRefusedByAValidatorFailsOverAndIsCounted() {
        client = builder().build();
        openai.then(Reply.jsonText(200, "{\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"   \"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}"));

        LlmResponse r = client.complete(request());

        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(events).extracting(GatewayEvent::type).contains("llm.validation.failed");
        // A validation failure says nothing about the provider's health.
        assertThat(client.circuit("openai", null)).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void jsonSchemaRequestedIsValidated() {
        client = builder().build();
        openai.then(Reply.jsonText(200, "{\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                + "\"content\":\"{\\\"status\\\": 4521}\"},\"finish_reason\":\"stop\"}]}"));
        anthropic.then(Reply.jsonText(200, "{\"type\":\"message\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"text\","
                + "\"text\":\"{\\\"status\\\": \\\"shipped\\\"}\"}],\"stop_reason\":\"end_turn\",\"usage\":{\"input_tokens\":9,"
                + "\"output_tokens\":6}}"));
        LlmRequest r = request().toBuilder().responseFormat(ResponseFormat.jsonSchema(
                "{\"type\":\"object\",\"required\":[\"status\"],\"properties\":{\"status\":{\"type\":\"string\"}}}")).build();

        LlmResponse answer = client.complete(r);

        assertThat(answer.provider()).isEqualTo("anthropic");
        assertThat(answer.content()).isEqualTo("{\"status\": \"shipped\"}");
    }

    @Test
    void cancellingTheCallCancelsTheRequest() throws Exception {
        client = builder().build();
        openai.then(Reply.json(200, "openai/chat-response.json").stallAfter(0, 5_000));
        var f = client.completeAsync(request());
        Thread.sleep(100);
        f.cancel(true);
        assertThat(f).isCancelled();
        assertThat(anthropic.calls()).isZero();
    }
}
