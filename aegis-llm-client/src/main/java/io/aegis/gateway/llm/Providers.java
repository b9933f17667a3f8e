package io.aegis.gateway.llm;

import io.aegis.gateway.llm.internal.AnthropicProvider;
import io.aegis.gateway.llm.internal.EchoProvider;
import io.aegis.gateway.llm.internal.GeminiProvider;
import io.aegis.gateway.llm.internal.OllamaProvider;
import io.aegis.gateway.llm.internal.OpenAiProvider;
import io.aegis.gateway.llm.internal.OpenAiResponsesProvider;
import io.aegis.gateway.llm.internal.TgiProvider;
import io.aegis.gateway.llm.spi.LlmProvider;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/** Creates the built-in providers from their settings. */
public final class Providers {

    private Providers() {
    }

    /**
     * A provider speaking the settings' wire format over the JDK {@code HttpClient}.
     *
     * @param scheduler runs timeouts (idle, total); not owned
     * @param clock reads retry hints given as dates
     */
    public static LlmProvider create(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        return switch (settings.format()) {
            case OPENAI, HUGGINGFACE -> new OpenAiProvider(settings, scheduler, clock);
            case OPENAI_RESPONSES -> new OpenAiResponsesProvider(settings, scheduler, clock);
            case ANTHROPIC -> new AnthropicProvider(settings, scheduler, clock);
            case GEMINI -> new GeminiProvider(settings, scheduler, clock);
            case TGI -> new TgiProvider(settings, scheduler, clock);
            case OLLAMA -> new OllamaProvider(settings, scheduler, clock);
            case ECHO -> new EchoProvider(settings);
        };
    }
}
