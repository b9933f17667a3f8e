package io.aegis.examples.recommendations;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.llm.LlmClient;
import io.aegis.gateway.llm.LlmClients;
import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import java.util.Objects;

/**
 * Phrases recommendations with the LLM client (issue 8): the template's text is the draft, and the
 * model rewrites it in a friendly tone, keeping every product it names. Providers come from
 * {@code aegis.llm.*} ({@code AEGIS_LLM_PROVIDERS_<NAME>_BASE_URL}, {@code _API_KEY}, {@code _MODEL},
 * {@code AEGIS_LLM_ROUTE_DEFAULT}); with none configured the client answers with its local echo
 * provider, so the demo runs offline. When every candidate fails, or the answer is empty or too
 * long, the template's text is the answer: a recommendation never fails because of the model.
 * Thread-safe.
 */
public final class LlmRecommendationWriter implements RecommendationWriter, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LlmRecommendationWriter.class.getName());
    static final String SYSTEM_PROMPT = "You write for an insurance company. Rewrite the draft recommendation "
            + "for the customer in at most three short, friendly sentences. Keep every product the draft names, "
            + "add no product, price or promise, and answer with the text only.";
    private static final int MAX_CHARS = 800;

    private final LlmClient client;
    private final RecommendationWriter draft;

    public LlmRecommendationWriter(LlmClient client, RecommendationWriter draft) {
        this.client = Objects.requireNonNull(client, "client");
        this.draft = Objects.requireNonNull(draft, "draft");
    }

    /** A writer with the client configured by {@code aegis.llm.*} and the template as draft and fallback. */
    public static LlmRecommendationWriter fromConfig(AegisConfig config) {
        return new LlmRecommendationWriter(LlmClients.fromConfig(config), new TemplateRecommendationWriter());
    }

    @Override
    public String write(Recommendation recommendation) {
        String text = draft.write(recommendation);
        try {
            LlmResponse r = client.complete(LlmRequest.builder()
                    .system(SYSTEM_PROMPT)
                    .user(text)
                    .temperature(0)
                    .maxTokens(160)
                    .requestType("chat")
                    .build());
            String answer = r.content() == null ? "" : r.content().strip();
            if (answer.isEmpty() || answer.length() > MAX_CHARS) {
                LOG.log(System.Logger.Level.WARNING, "the model's answer was empty or too long; the template answers");
                return text;
            }
            return answer;
        } catch (LlmException e) {
            LOG.log(System.Logger.Level.WARNING, "no model could phrase the recommendation (" + e.kind() + "); the template answers");
            return text;
        }
    }

    public LlmClient client() {
        return client;
    }

    @Override
    public void close() {
        client.close();
    }
}
