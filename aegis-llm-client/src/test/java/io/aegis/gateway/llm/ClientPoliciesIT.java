package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.llm.budget.BudgetExceededException;
import io.aegis.gateway.llm.budget.BudgetLimits;
import io.aegis.gateway.llm.budget.InMemoryBudgetStore;
import io.aegis.gateway.llm.budget.Money;
import io.aegis.gateway.llm.cache.LocalResponseCache;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Budgets, cache, request-type routing and context windows through the client, over real HTTP. */
class ClientPoliciesIT {

    final MockProvider openai = new MockProvider(Reply.json(200, "openai/chat-response.json"));
    final MockProvider anthropic = new MockProvider(Reply.json(200, "anthropic/messages-response.json"));
    final Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    final AtomicLong nanos = new AtomicLong();
    final InMemoryBudgetStore budgets = new InMemoryBudgetStore();
    LlmClient client;

    LlmClient.Builder builder() {
        return LlmClient.builder()
                .provider(ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("a")
                        .capability(Capability.BASIC).build())
                .provider(ProviderSettings.builder("anthropic", WireFormat.ANTHROPIC).baseUrl(anthropic.baseUrl())
                        .apiKey("b").model("claude-sonnet-4-5").capability(Capability.ADVANCED).build())
                .retry(1, Duration.ZERO, Duration.ZERO, Duration.ZERO)
                .clock(clock).nanoTime(nanos::get).budgetStore(budgets);
    }

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        openai.close();
        anthropic.close();
    }

    @Test
    void aCallIsSettledWithItsActualCost() {
        client = builder().budgetLimits(BudgetLimits.usd(new BigDecimal("1.00"), null)).cache(null).build();

        LlmResponse r = client.complete(OpenAiWireIT.request().toBuilder().tenant("acme").build());

        assertThat(r.cost()).isEqualByComparingTo("0.0000129");
        assertThat(budgets.spentToday("acme", clock.instant())).isEqualTo(Money.toNanos(new BigDecimal("0.0000129")));
    }

    @Test
    void aFailedCallIsRefunded() {
        client = builder().budgetLimits(BudgetLimits.usd(new BigDecimal("1.00"), null)).route("openai").cache(null).build();
        openai.then(Reply.json(400, "openai/error-400-context-length.json"));

        assertThatThrownBy(() -> client.complete(OpenAiWireIT.request().toBuilder().tenant("acme").build()))
                .isInstanceOf(LlmException.class);
        assertThat(budgets.spentToday("acme", clock.instant())).isZero();
    }

    @Test
    void aBudgetThatCannotCoverTheWorstCaseRefusesBeforeAnyCall() {
        // gpt-4o-mini worst case for this request is about 0.00016 USD (~70 input + 256 output tokens).
        client = builder().budgetLimits("acme", BudgetLimits.usd(new BigDecimal("0.0001"), null)).route("openai")
                .cache(null).build();

        assertThatThrownBy(() -> client.complete(OpenAiWireIT.request().toBuilder().tenant("acme").build()))
                .isInstanceOfSatisfying(BudgetExceededException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmErrorKind.BUDGET_EXCEEDED);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofHours(14));
                    assertThat(LlmProblems.toProblem(e).status()).isEqualTo(429);
                    assertThat(LlmProblems.toProblem(e).headers().get("Retry-After")).containsExactly("50400");
                });
        assertThat(openai.calls()).isZero();
        // Another tenant without its own limits is not limited.
        assertThat(client.complete(OpenAiWireIT.request().toBuilder().tenant("other").build()).provider()).isEqualTo("openai");
    }

    @Test
    void whenTheDearCandidateDoesNotFitTheCheaperOneAnswers() {
        // claude-sonnet-4-5's worst case (~0.0041 USD) does not fit 0.001 USD; gpt-4o-mini's does.
        client = builder().route("anthropic", "openai").budgetLimits(BudgetLimits.usd(new BigDecimal("0.001"), null))
                .cache(null).build();

        LlmResponse r = client.complete(OpenAiWireIT.request().toBuilder().tenant("acme").build());

        assertThat(r.provider()).isEqualTo("openai");
        assertThat(anthropic.calls()).isZero();
    }

    @Test
    void deterministicRequestsAreCachedPerTenantAndCostNothingWhenHit() {
        client = builder().cache(new LocalResponseCache(100, nanos::get)).cachePolicy(Duration.ofMinutes(5), false).build();
        LlmRequest r = OpenAiWireIT.request().toBuilder().temperature(0).tenant("acme").build();

        LlmResponse first = client.complete(r);
        LlmResponse second = client.complete(r);
        LlmResponse otherTenant = client.complete(r.toBuilder().tenant("globex").build());

        assertThat(first.cacheHit()).isFalse();
        assertThat(second.cacheHit()).isTrue();
        assertThat(second.cost()).isEqualByComparingTo("0");
        assertThat(second.attempts()).isZero();
        assertThat(second.content()).isEqualTo(first.content());
        assertThat(otherTenant.cacheHit()).isFalse();
        assertThat(openai.calls()).isEqualTo(2);
        nanos.addAndGet(Duration.ofMinutes(6).toNanos());
        assertThat(client.complete(r).cacheHit()).isFalse();
    }

    @Test
    void nonDeterministicRequestsAreNotCachedUnlessAsked() {
        client = builder().build();
        LlmRequest r = OpenAiWireIT.request();

        client.complete(r);
        client.complete(r);
        client.complete(r.toBuilder().cacheable(true).build());
        assertThat(client.complete(r.toBuilder().cacheable(true).build()).cacheHit()).isTrue();
        assertThat(openai.calls()).isEqualTo(3);
    }

    @Test
    void aCachedAnswerIsReplayedAsAStream() {
        client = builder().build();
        LlmRequest r = OpenAiWireIT.request().toBuilder().temperature(0).build();
        client.complete(r);

        var events = Collect.all(client.stream(r));

        assertThat(Collect.text(events)).isEqualTo("Order #4521 has shipped and should arrive on Friday.");
        assertThat(Collect.done(events).cacheHit()).isTrue();
        assertThat(openai.calls()).isEqualTo(1);
    }

    @Test
    void requestTypesPickTheCheapestCandidateAtTheirFloor() {
        client = builder().provider(ProviderSettings.builder("gemini", WireFormat.GEMINI).baseUrl(openai.baseUrl())
                .apiKey("g").capability(Capability.STANDARD).build()).route("anthropic", "gemini", "openai").build();

        assertThat(client.route(OpenAiWireIT.request())).extracting(Candidate::provider)
                .containsExactly("anthropic", "gemini", "openai");
        assertThat(client.route(OpenAiWireIT.request().toBuilder().requestType("classification").build()))
                .extracting(Candidate::provider).containsExactly("openai", "gemini", "anthropic");
        assertThat(client.route(OpenAiWireIT.request().toBuilder().requestType("extraction").build()))
                .extracting(Candidate::provider).containsExactly("gemini", "anthropic");
        assertThat(client.route(OpenAiWireIT.request().toBuilder().requestType("reasoning").build()))
                .extracting(Candidate::provider).containsExactly("anthropic");
        assertThat(client.route(OpenAiWireIT.request().toBuilder().requestType("untyped-tag").build()))
                .extracting(Candidate::provider).containsExactly("anthropic", "gemini", "openai");
    }

    @Test
    void aTypeWhoseFloorNoCandidateMeetsIsUnavailable() {
        client = builder().route("openai").build();
        assertThatThrownBy(() -> client.route(OpenAiWireIT.request().toBuilder().requestType("reasoning").build()))
                .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmErrorKind.UNAVAILABLE))
                .hasMessageContaining("ADVANCED");
    }

    @Test
    void contextWindowsAreCheckedBeforeSending() {
        client = LlmClient.builder()
                .provider(ProviderSettings.builder("small", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("a")
                        .model("tiny").contextWindow(1_000).build())
                .provider(ProviderSettings.builder("large", WireFormat.ANTHROPIC).baseUrl(anthropic.baseUrl()).apiKey("b")
                        .model("claude-sonnet-4-5").build())
                .cache(null).build();
        LlmRequest longOne = LlmRequest.builder().user("x".repeat(6_000)).maxTokens(100).build();

        assertThat(client.route(longOne)).extracting(Candidate::provider).containsExactly("large");
        assertThat(client.complete(longOne).provider()).isEqualTo("large");
        assertThat(openai.calls()).isZero();

        LlmClient onlySmall = LlmClient.builder().provider(ProviderSettings.builder("small", WireFormat.OPENAI)
                .baseUrl(openai.baseUrl()).apiKey("a").model("tiny").contextWindow(1_000).build()).build();
        try (onlySmall) {
            assertThatThrownBy(() -> onlySmall.complete(longOne)).isInstanceOfSatisfying(LlmException.class,
                    e -> assertThat(e.kind()).isEqualTo(LlmErrorKind.CONTEXT_TOO_LONG)).hasMessageContaining("1000");
        }
        assertThat(openai.calls()).isZero();
    }

    @Test
    void streamsAreSettledAndCostedToo() {
        client = builder().route("anthropic").budgetLimits(BudgetLimits.usd(new BigDecimal("1.00"), null)).cache(null).build();
        anthropic.then(Reply.stream("anthropic/messages-stream.sse"));

        LlmResponse r = Collect.done(Collect.all(client.stream(OpenAiWireIT.request().toBuilder().tenant("acme").build())));

        // claude-sonnet-4-5: 29 * 3e-6 + 14 * 1.5e-5 = 0.000087 + 0.00021
        assertThat(r.cost()).isEqualByComparingTo("0.000297");
        assertThat(budgets.spentToday("acme", clock.instant())).isEqualTo(297_000);
    }

    @Test
    void aCancelledStreamIsChargedItsPromptNotItsWorstCase() throws Exception {
        client = builder().route("anthropic").budgetLimits(BudgetLimits.usd(new BigDecimal("1.00"), null)).cache(null).build();
        anthropic.then(Reply.stream("anthropic/messages-stream.sse").stallAfter(2, 5_000));
        java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.Flow.Subscription[] sub = new java.util.concurrent.Flow.Subscription[1];
        client.stream(OpenAiWireIT.request().toBuilder().tenant("acme").build()).subscribe(new java.util.concurrent.Flow.Subscriber<>() {
            @Override
            public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                sub[0] = s;
                s.request(Long.MAX_VALUE);
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
        // The stream stalls after message_start and the first (empty) block; cancel while it waits.
        Thread.sleep(300);
        long held = budgets.spentToday("acme", clock.instant());
        sub[0].cancel();

        long charged = budgets.spentToday("acme", clock.instant());
        assertThat(held).isGreaterThan(charged);
        assertThat(charged).isPositive();
        // Estimated prompt of this request on claude-sonnet-4-5 at 3e-6 per token: well under the 256-token worst case.
        assertThat(charged).isLessThan(Money.toNanos(new BigDecimal("0.0005")));
    }
}
