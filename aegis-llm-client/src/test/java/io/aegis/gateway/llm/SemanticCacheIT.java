package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.llm.cache.LexicalEmbedder;
import io.aegis.gateway.llm.cache.SemanticCache;
import io.aegis.gateway.llm.testing.MockProvider;
import io.aegis.gateway.llm.testing.MockProvider.Reply;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The opt-in semantic cache: per tenant, near-duplicates only, guarded against negation and numbers. */
class SemanticCacheIT {

    final MockProvider openai = new MockProvider(Reply.json(200, "openai/chat-response.json"));
    LlmClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
        openai.close();
    }

    LlmClient client() {
        return LlmClient.builder()
                .provider(ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl(openai.baseUrl()).apiKey("k").build())
                .semanticCache(new SemanticCache(Set.of("acme"), 0.9, 100, new LexicalEmbedder(), System::nanoTime))
                .build();
    }

    static LlmRequest ask(String tenant, String question) {
        return LlmRequest.builder().system("You answer order questions.").user(question).temperature(0).tenant(tenant).build();
    }

    @Test
    void aNearDuplicateQuestionOfATenantThatOptedInIsAHit() {
        client = client();
        client.complete(ask("acme", "What is the status of order #4521?"));

        LlmResponse again = client.complete(ask("acme", "what is the STATUS of order 4521"));

        assertThat(again.cacheHit()).isTrue();
        assertThat(again.cost()).isEqualByComparingTo("0");
        assertThat(openai.calls()).isEqualTo(1);
    }

    @Test
    void otherTenantsNeverUseIt() {
        client = client();
        client.complete(ask("globex", "What is the status of order #4521?"));
        assertThat(client.complete(ask("globex", "what is the status of order 4521")).cacheHit()).isFalse();
        // Nor does a tenant that opted in see another tenant's answers.
        assertThat(client.complete(ask("acme", "what is the status of order 4521")).cacheHit()).isFalse();
        assertThat(openai.calls()).isEqualTo(3);
    }

    @Test
    void negationAndNumbersNeverMatch() {
        client = client();
        client.complete(ask("acme", "Has order 4521 shipped?"));

        assertThat(client.complete(ask("acme", "Has order 4521 not shipped?")).cacheHit()).isFalse();
        assertThat(client.complete(ask("acme", "Hasn't order 4521 shipped?")).cacheHit()).isFalse();
        assertThat(client.complete(ask("acme", "Has order 4522 shipped?")).cacheHit()).isFalse();
        client.complete(ask("acme", "주문 4521 배송되었나요?"));
        assertThat(client.complete(ask("acme", "주문 4521 배송되지 않았나요?")).cacheHit()).isFalse();
        assertThat(openai.calls()).isEqualTo(6);
    }

    @Test
    void theConversationAroundTheQuestionMustBeIdentical() {
        client = client();
        client.complete(ask("acme", "What is the status of order #4521?"));
        LlmRequest otherSystem = LlmRequest.builder().system("You are a pirate.").user("what is the status of order 4521")
                .temperature(0).tenant("acme").build();

        assertThat(client.complete(otherSystem).cacheHit()).isFalse();
    }

    @Test
    void aDifferentQuestionIsAMiss() {
        client = client();
        client.complete(ask("acme", "What is the status of order #4521?"));
        assertThat(client.complete(ask("acme", "When was order 4521 paid for by the customer?")).cacheHit()).isFalse();
    }

    @Test
    void fromConfiguration() {
        try (LlmClient c = LlmConfig.read(AegisConfig.ofMap(Map.of(
                "aegis.llm.providers.openai.base-url", openai.baseUrl().toString(),
                "aegis.llm.cache.semantic.tenants", "acme",
                "aegis.llm.cache.semantic.threshold", "0.95"))).build()) {
            c.complete(ask("acme", "What is the status of order #4521?"));
            assertThat(c.complete(ask("acme", "what is the status of order 4521?")).cacheHit()).isTrue();
        }
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of("aegis.llm.cache.semantic.tenants", "acme",
                "aegis.llm.cache.semantic.threshold", "1.5")))).hasMessageContaining("aegis.llm.cache.semantic.threshold");
        assertThatThrownBy(() -> new SemanticCache(Set.of(), 0.9, 10, new LexicalEmbedder(), System::nanoTime))
                .hasMessageContaining("tenants");
    }
}
