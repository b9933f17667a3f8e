package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.smallrye.config.EnvConfigSource;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration path, side by side with the programmatic one. */
class LlmConfigTest {

    static AegisConfig env(Map<String, String> vars) {
        return AegisConfig.of(ConfigProviderResolver.instance().getBuilder()
                .withSources(new EnvConfigSource(vars, 300)).addDiscoveredConverters().build());
    }

    @Test
    void environmentVariablesConfigureProvidersAndTheRoute() {
        AegisConfig c = env(Map.of(
                "AEGIS_LLM_PROVIDERS_OPENAI_BASE_URL", "http://127.0.0.1:9000",
                "AEGIS_LLM_PROVIDERS_OPENAI_API_KEY", "sk-local",
                "AEGIS_LLM_PROVIDERS_OPENAI_MODEL", "qwen2.5-7b-instruct",
                "AEGIS_LLM_PROVIDERS_ANTHROPIC_API_KEY", "sk-ant",
                "AEGIS_LLM_ROUTE_DEFAULT", "ANTHROPIC,openai"));

        List<ProviderSettings> read = LlmConfig.providers(c);

        assertThat(read).containsExactly(
                ProviderSettings.builder("openai", WireFormat.OPENAI).baseUrl("http://127.0.0.1:9000").apiKey("sk-local")
                        .model("qwen2.5-7b-instruct").build(),
                ProviderSettings.builder("anthropic", WireFormat.ANTHROPIC).apiKey("sk-ant").build());
        try (LlmClient client = LlmConfig.read(c).build()) {
            assertThat(client.providers()).containsExactly("openai", "anthropic");
            assertThat(client.route(LlmRequest.of("q"))).containsExactly(
                    new Candidate("anthropic", "claude-haiku-4-5"), new Candidate("openai", "qwen2.5-7b-instruct"));
        }
    }

    @Test
    void aCustomProviderNamedInTheRouteIsFoundInTheEnvironment() {
        AegisConfig c = env(Map.of(
                "AEGIS_LLM_PROVIDERS_VLLM_FORMAT", "openai",
                "AEGIS_LLM_PROVIDERS_VLLM_BASE_URL", "http://127.0.0.1:8000",
                "AEGIS_LLM_ROUTE_DEFAULT", "vllm"));
        try (LlmClient client = LlmConfig.read(c).build()) {
            assertThat(client.providers()).containsExactly("vllm");
        }
    }

    @Test
    void aHostedProviderWithoutKeyOrBaseUrlIsNotConfiguredAndTheEchoAnswers() {
        AegisConfig c = AegisConfig.ofMap(Map.of("aegis.llm.providers.openai.model", "gpt-4o"));
        try (LlmClient client = LlmConfig.read(c).build()) {
            assertThat(client.providers()).containsExactly("echo");
        }
    }

    @Test
    void aRouteNamingAnUnconfiguredProviderFailsAtStart() {
        AegisConfig c = AegisConfig.ofMap(Map.of("aegis.llm.providers.openai.api-key", "sk-1",
                "aegis.llm.route.default", "openai,anthropic"));
        assertThatThrownBy(() -> LlmConfig.read(c)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("aegis.llm.route.default='openai,anthropic'")
                .hasMessageContaining("provider anthropic is not configured");
    }

    @Test
    void everyKeyEqualsItsBuilderMethod(@TempDir Path dir) throws Exception {
        Path keyFile = dir.resolve("anthropic.key");
        Files.writeString(keyFile, "sk-ant-from-file\n");
        Map<String, String> m = new HashMap<>();
        m.put("aegis.llm.providers.openai.api-key", "sk-1");
        m.put("aegis.llm.providers.openai.timeout", "20s");
        m.put("aegis.llm.providers.openai.connect-timeout", "2s");
        m.put("aegis.llm.providers.openai.idle-timeout", "5s");
        m.put("aegis.llm.providers.openai.capability", "basic");
        m.put("aegis.llm.providers.anthropic.api-key-file", keyFile.toString());
        m.put("aegis.llm.providers.anthropic.model", "claude-sonnet-4-5");
        m.put("aegis.llm.providers.anthropic.capability", "advanced");
        m.put("aegis.llm.providers.anthropic.anthropic-version", "2023-06-01");
        m.put("aegis.llm.providers.huggingface.api-key", "hf_x");
        m.put("aegis.llm.providers.huggingface.model", "meta-llama/Llama-3.1-8B-Instruct:cerebras");
        m.put("aegis.llm.providers.huggingface.serving-prices.cerebras", "0.10/0.10");
        m.put("aegis.llm.providers.ollama.base-url", "http://127.0.0.1:11434");
        m.put("aegis.llm.providers.ollama.context-window", "8192");
        m.put("aegis.llm.providers.ollama.price", "0/0");

        List<ProviderSettings> read = LlmConfig.providers(AegisConfig.ofMap(m));

        assertThat(read).containsExactly(
                ProviderSettings.builder("openai", WireFormat.OPENAI).apiKey("sk-1").timeout(Duration.ofSeconds(20))
                        .connectTimeout(Duration.ofSeconds(2)).idleTimeout(Duration.ofSeconds(5))
                        .capability(Capability.BASIC).build(),
                ProviderSettings.builder("anthropic", WireFormat.ANTHROPIC).apiKey("sk-ant-from-file")
                        .model("claude-sonnet-4-5").capability(Capability.ADVANCED).anthropicVersion("2023-06-01").build(),
                ProviderSettings.builder("huggingface", WireFormat.HUGGINGFACE).apiKey("hf_x")
                        .model("meta-llama/Llama-3.1-8B-Instruct:cerebras")
                        .servingPrice("cerebras", new BigDecimal("0.10"), new BigDecimal("0.10")).build(),
                ProviderSettings.builder("ollama", WireFormat.OLLAMA).baseUrl("http://127.0.0.1:11434").contextWindow(8192)
                        .prices(BigDecimal.ZERO, BigDecimal.ZERO).build());
        try (LlmClient client = LlmConfig.read(AegisConfig.ofMap(m)).build()) {
            // 0.10 USD per million tokens from the serving-provider price.
            assertThat(client.price("huggingface", null).orElseThrow().cost(Usage.of(1_000_000, 1_000_000)))
                    .isEqualByComparingTo("0.20");
            assertThat(client.route(LlmRequest.builder().user("q").requestType("reasoning").build()))
                    .extracting(Candidate::provider).containsExactly("anthropic");
        }
    }

    @Test
    void invalidValuesNameKeyValueAndRuleAndMaskSecrets() {
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of(
                "aegis.llm.providers.openai.api-key", "sk-1", "aegis.llm.providers.openai.timeout", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.llm.providers.openai.timeout='soon'");
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of(
                "aegis.llm.providers.openai.api-key", "sk-secret value"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.llm.providers.openai.api-key")
                .hasMessageNotContaining("sk-secret");
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of(
                "aegis.llm.providers.local.base-url", "http://127.0.0.1:1"))))
                .hasMessageContaining("aegis.llm.providers.local.format");
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of(
                "aegis.llm.providers.openai.api-key", "a", "aegis.llm.providers.openai.api-key-file", "/x"))))
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of("aegis.llm.budget.daily", "five"))))
                .hasMessageContaining("aegis.llm.budget.daily='five'");
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of("aegis.llm.route.mid-stream", "resume"))))
                .hasMessageContaining("expected: one of fail, buffered-restart, prefill");
        assertThatThrownBy(() -> LlmConfig.read(AegisConfig.ofMap(Map.of("aegis.llm.providers.gemini.api-key", "k",
                "aegis.llm.providers.gemini.price", "1.5"))))
                .hasMessageContaining("aegis.llm.providers.gemini.price='1.5'").hasMessageContaining("input/output");
    }

    @Test
    void budgetsCacheAndValidationFromConfiguration() {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.llm.budget.daily", "0.000001");
        m.put("aegis.llm.budget.keys.vip.daily", "100");
        m.put("aegis.llm.cache.enabled", "false");
        m.put("aegis.llm.validation.banned", "forbidden");
        try (LlmClient client = LlmConfig.read(AegisConfig.ofMap(m)).build()) {
            // The echo provider is free, so even a tiny budget is not spent.
            assertThat(client.complete(LlmRequest.builder().user("hi").tenant("acme").build()).content()).isEqualTo("Echo: hi");
            assertThatThrownBy(() -> client.complete(LlmRequest.builder().user("forbidden word").build()))
                    .isInstanceOfSatisfying(LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmErrorKind.VALIDATION_FAILED));
            LlmRequest det = LlmRequest.builder().user("hi").temperature(0).build();
            client.complete(det);
            assertThat(client.complete(det).cacheHit()).isFalse();
        }
    }

    @Test
    void misspeltKeysAreReported() {
        java.util.List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(LlmConfig.class.getName());
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                warnings.add(r.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            LlmConfig.read(AegisConfig.ofMap(Map.of("aegis.llm.providers.openai.apikey", "x",
                    "aegis.llm.budget.keys.acme.daily", "1", "aegis.llm.route.types.summary.min-capability", "basic")));
        } finally {
            log.removeHandler(h);
        }
        assertThat(warnings).anyMatch(w -> w.contains("aegis.llm.providers.openai.apikey"));
        assertThat(warnings).noneMatch(w -> w.contains("budget.keys") || w.contains("route.types"));
    }
}
