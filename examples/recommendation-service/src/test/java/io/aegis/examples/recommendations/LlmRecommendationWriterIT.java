package io.aegis.examples.recommendations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.aegis.gateway.config.AegisConfig;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The recommendation is phrased by a real OpenAI-compatible HTTP peer configured exactly as the
 * environment variables of examples/README.md configure it; when the peer fails, the template answers.
 */
class LlmRecommendationWriterIT {

    static final Recommendation ADA = new Recommendation("u-1001", "Ada Lovelace", "London", List.of("home", "health"),
            List.of(new Recommendation.Suggestion("travel", "often abroad")), Set.of());

    HttpServer server;
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger calls = new AtomicInteger();
    final AtomicReference<String> lastBody = new AtomicReference<>();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/chat/completions", ex -> {
            calls.incrementAndGet();
            lastBody.set(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            String body = status.get() == 200
                    ? "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"gpt-4o-mini\","
                      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Ada, you are well covered at home and "
                      + "for your health; for your trips, travel insurance is worth a look.\"},\"finish_reason\":\"stop\"}],"
                      + "\"usage\":{\"prompt_tokens\":60,\"completion_tokens\":25,\"total_tokens\":85}}"
                    : "{\"error\":{\"message\":\"The server had an error\",\"type\":\"server_error\",\"code\":null}}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status.get(), b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private LlmRecommendationWriter writer() {
        return LlmRecommendationWriter.fromConfig(AegisConfig.ofMap(Map.of(
                "aegis.llm.providers.openai.base-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                "aegis.llm.providers.openai.api-key", "sk-test-fixture-not-a-real-key",
                "aegis.llm.providers.openai.model", "gpt-4o-mini",
                "aegis.llm.route.default", "openai",
                "aegis.llm.retry.max-attempts", "1")));
    }

    @Test
    void theModelPhrasesTheTemplateDraft() throws Exception {
        try (LlmRecommendationWriter w = writer()) {
            String message = w.write(ADA);
            assertThat(message).isEqualTo("Ada, you are well covered at home and for your health; for your trips, "
                    + "travel insurance is worth a look.");
            JsonNode sent = json.readTree(lastBody.get());
            assertThat(sent.path("model").asText()).isEqualTo("gpt-4o-mini");
            assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo(LlmRecommendationWriter.SYSTEM_PROMPT);
            assertThat(sent.path("messages").get(1).path("content").asText())
                    .isEqualTo(new TemplateRecommendationWriter().write(ADA));
        }
    }

    @Test
    void theTemplateAnswersWhenTheModelFails() {
        status.set(500);
        try (LlmRecommendationWriter w = writer()) {
            assertThat(w.write(ADA)).isEqualTo(new TemplateRecommendationWriter().write(ADA));
            assertThat(calls.get()).isPositive();
        }
    }
}
