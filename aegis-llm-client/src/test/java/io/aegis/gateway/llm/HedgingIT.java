package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.llm.budget.BudgetLimits;
import io.aegis.gateway.llm.budget.InMemoryBudgetStore;
import io.aegis.gateway.llm.budget.Money;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hedged requests over real HTTP: a slow first candidate is raced by the second. */
class HedgingIT {

    final MockProvider openai = new MockProvider(Reply.json(200, "openai/chat-response.json"));
    final MockProvider anthropic = new MockProvider(Reply.json(200, "anthropic/messages-response.json"));
    final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    final InMemoryBudgetStore budgets = new InMemoryBudgetStore();
    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    LlmClient client;

    @AfterEach
    void close() {
        client.close();
        openai.close();
        anthropic.close();
    }

    LlmClient.Builder builder() {
        return LlmClient.builder()
                .provider(ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("a").build())
                .provider(ProviderSettings.builder("anthropic", WireFormat.ANTHROPIC).baseUrl(anthropic.baseUrl()).apiKey("b")
                        .model("claude-sonnet-4-5").build())
                .clock(clock).budgetStore(budgets).budgetLimits(BudgetLimits.usd(BigDecimal.ONE, null)).cache(null)
                .events(new GatewayEvents().addListener(events::add));
    }

    @Test
    void aSlowFirstCandidateIsRacedAndTheFirstAnswerWins() {
        client = builder().hedge(Duration.ofMillis(200), false).build();
        openai.then(Reply.json(200, "openai/chat-response.json").stallAfter(0, 3_000));
        long start = System.nanoTime();

        LlmResponse r = client.complete(OpenAiWireIT.request().toBuilder().tenant("acme").build());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(r.attempts()).isEqualTo(2);
        assertThat(events).extracting(GatewayEvent::type).contains("llm.hedge.started");
        // Both were accounted for: the winner's cost, and the cancelled call's estimated prompt.
        long winner = Money.toNanos(r.cost());
        assertThat(budgets.spentToday("acme", clock.instant())).isGreaterThan(winner);
    }

    @Test
    void aFastFirstCandidateIsNotHedged() {
        client = builder().hedge(Duration.ofSeconds(5), false).build();

        LlmResponse r = client.complete(OpenAiWireIT.request());

        assertThat(r.provider()).isEqualTo("openai");
        assertThat(anthropic.calls()).isZero();
    }

    @Test
    void whenTheHedgeFailsTheSlowFirstStillAnswers() {
        client = builder().hedge(Duration.ofMillis(100), false).retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO).build();
        openai.then(Reply.json(200, "openai/chat-response.json").stallAfter(0, 600));
        anthropic.then(Reply.json(400, "anthropic/error-400-prompt-too-long.json"));

        LlmResponse r = client.complete(OpenAiWireIT.request());

        assertThat(r.provider()).isEqualTo("openai");
        assertThat(anthropic.calls()).isEqualTo(1);
    }

    @Test
    void adaptiveHedgingWaitsForEnoughSamples() {
        client = builder().hedge(null, true).build();
        // Until 20 answers were seen there is no p95: no call is hedged, however slow.
        for (int i = 0; i < 20; i++) {
            client.complete(OpenAiWireIT.request());
        }
        assertThat(anthropic.calls()).isZero();
        // Now the p95 of openai is known (milliseconds); a call that stalls far beyond it is hedged.
        openai.then(Reply.json(200, "openai/chat-response.json").stallAfter(0, 3_000));
        assertThat(client.complete(OpenAiWireIT.request()).provider()).isEqualTo("anthropic");
    }

    @Test
    void aStreamWithoutAFirstTokenInTimeIsRacedInvisibly() {
        client = builder().hedge(Duration.ofMillis(200), false).build();
        openai.then(Reply.stream("openai/chat-stream.sse").stallAfter(0, 3_000));
        anthropic.then(Reply.stream("anthropic/messages-stream.sse"));
        long start = System.nanoTime();

        var events = Collect.all(client.stream(OpenAiWireIT.request().toBuilder().tenant("acme").build()));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2_500));
        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).provider()).isEqualTo("anthropic");
        assertThat(events).noneMatch(e -> e instanceof StreamEvent.Failed);
        assertThat(events).filteredOn(e -> e instanceof StreamEvent.Done).hasSize(1);
        long winner = Money.toNanos(Collect.done(events).cost());
        assertThat(budgets.spentToday("acme", clock.instant())).isGreaterThan(winner);
    }

    @Test
    void aStreamThatStartsInTimeIsNotRaced() {
        client = builder().hedge(Duration.ofSeconds(5), false).build();
        openai.then(Reply.stream("openai/chat-stream.sse"));

        var events = Collect.all(client.stream(OpenAiWireIT.request()));

        assertThat(Collect.done(events).provider()).isEqualTo("openai");
        assertThat(anthropic.calls()).isZero();
    }

    @Test
    void whenBothRacedStreamsFailTheFailureIsForwarded() {
        client = builder().hedge(Duration.ofMillis(100), false).retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO).build();
        openai.then(Reply.json(503, "openai/error-503-overloaded.json").stallAfter(0, 400));
        anthropic.fallback(Reply.json(400, "anthropic/error-400-prompt-too-long.json"));

        Collect.Outcome o = Collect.outcome(client.stream(OpenAiWireIT.request()));

        assertThat(o.error()).isInstanceOf(LlmException.class);
        assertThat(o.events().get(o.events().size() - 1)).isInstanceOf(StreamEvent.Failed.class);
    }
}
