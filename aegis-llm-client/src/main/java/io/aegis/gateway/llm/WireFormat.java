package io.aegis.gateway.llm;

import java.net.URI;

/**
 * The wire protocols the client speaks, each with its default API root and model. A provider's
 * base URL is the API root: paths such as {@code /v1/chat/completions} are appended to it.
 */
public enum WireFormat {
    /** OpenAI Chat Completions ({@code POST /v1/chat/completions}, Bearer key); also any OpenAI-compatible server. */
    OPENAI("openai", "openai", "https://api.openai.com", "gpt-4o-mini"),
    /** OpenAI Responses ({@code POST /v1/responses}, Bearer key): named stream events ending with {@code response.completed}. */
    OPENAI_RESPONSES("openai", "openai", "https://api.openai.com", "gpt-4o-mini"),
    /** Anthropic Messages ({@code POST /v1/messages}, {@code x-api-key}, {@code anthropic-version}). */
    ANTHROPIC("anthropic", "anthropic", "https://api.anthropic.com", "claude-haiku-4-5"),
    /** Google Gemini {@code generateContent} / {@code streamGenerateContent?alt=sse} ({@code x-goog-api-key}). */
    GEMINI("gcp.gemini", "gemini", "https://generativelanguage.googleapis.com", "gemini-2.5-flash"),
    /** The Hugging Face Inference Providers router, or TGI's Messages API: OpenAI-compatible, {@code max_tokens}. */
    HUGGINGFACE("huggingface", "huggingface", "https://router.huggingface.co", "meta-llama/Llama-3.1-8B-Instruct"),
    /** Text Generation Inference {@code /generate} and {@code /generate_stream} (raw prompt). */
    TGI("huggingface", "huggingface", "http://127.0.0.1:8080", "tgi"),
    /** Ollama {@code POST /api/chat} (NDJSON streaming, no key). */
    OLLAMA("ollama", "ollama", "http://127.0.0.1:11434", "llama3.2"),
    /** The built-in local echo provider: answers from the last user message, offline, free. */
    ECHO("aegis.echo", "echo", "local:echo", "echo");

    private final String genAiProviderName;
    private final String priceNamespace;
    private final URI defaultBaseUrl;
    private final String defaultModel;

    WireFormat(String genAiProviderName, String priceNamespace, String defaultBaseUrl, String defaultModel) {
        this.genAiProviderName = genAiProviderName;
        this.priceNamespace = priceNamespace;
        this.defaultBaseUrl = URI.create(defaultBaseUrl);
        this.defaultModel = defaultModel;
    }

    /** The OpenTelemetry {@code gen_ai.provider.name} value. */
    public String genAiProviderName() {
        return genAiProviderName;
    }

    /** The {@code litellm_provider} of the price table whose entries price this format's models. */
    public String priceNamespace() {
        return priceNamespace;
    }

    public URI defaultBaseUrl() {
        return defaultBaseUrl;
    }

    public String defaultModel() {
        return defaultModel;
    }
}
