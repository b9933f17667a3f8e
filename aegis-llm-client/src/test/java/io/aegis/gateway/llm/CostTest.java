package io.aegis.gateway.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.llm.cost.ModelPrice;
import io.aegis.gateway.llm.cost.PriceTable;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exact per-call costs from the shipped price table. */
class CostTest {

    static final PriceTable TABLE = PriceTable.defaults();

    static BigDecimal cost(String namespace, String model, Usage u) {
        return TABLE.find(namespace, model).orElseThrow().cost(u);
    }

    @Test
    void tableSkipsNonModelKeysAndKeepsTheRest() {
        assertThat(TABLE.get("sample_spec")).isEmpty();
        assertThat(TABLE.size()).isGreaterThan(2000);
        assertThat(TABLE.find("gemini", "gemini-2.5-flash").orElseThrow().key()).isEqualTo("gemini/gemini-2.5-flash");
        assertThat(TABLE.find("anthropic", "claude-sonnet-4-5-20250929").orElseThrow().key())
                .isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(TABLE.find("ollama", "llama3:latest").orElseThrow().key()).isEqualTo("ollama/llama3");
    }

    @Test
    void anthropicCacheReadsAndWritesAtTheirPrices() {
        // claude-sonnet-4-5: input 3e-6, cache write 3.75e-6, cache read 3e-7, output 1.5e-5 per token.
        // 100 uncached + 2,000 written + 30,000 read, 50 output:
        // 100*3e-6 + 2000*3.75e-6 + 30000*3e-7 + 50*1.5e-5 = 0.0003 + 0.0075 + 0.009 + 0.00075 = 0.01755
        Usage u = new Usage(32_100, 50, 30_000, 2_000, 0, false);
        assertThat(cost("anthropic", "claude-sonnet-4-5", u)).isEqualByComparingTo("0.01755");
    }

    @Test
    void openAiCachedPromptTokensAtTheCacheReadPrice() {
        // gpt-4o-mini: input 1.5e-7, cached 7.5e-8, output 6e-7.
        // 10,000 prompt tokens of which 8,000 cached, 500 output:
        // 2000*1.5e-7 + 8000*7.5e-8 + 500*6e-7 = 0.0003 + 0.0006 + 0.0003 = 0.0012
        Usage u = new Usage(10_000, 500, 8_000, 0, 0, false);
        assertThat(cost("openai", "gpt-4o-mini", u)).isEqualByComparingTo("0.0012");
        // The fixture's answer: 34 in, 13 out = 34*1.5e-7 + 13*6e-7 = 0.0000051 + 0.0000078
        assertThat(cost("openai", "gpt-4o-mini-2024-07-18", Usage.of(34, 13))).isEqualByComparingTo("0.0000129");
    }

    @Test
    void geminiThoughtsAtTheReasoningPrice() {
        // gemini/gemini-2.5-flash: input 3e-7, output 2.5e-6, reasoning 2.5e-6, cache read 3e-8.
        // The fixture: 24 prompt, 14 candidates + 48 thoughts = 62 output, 48 reasoning:
        // 24*3e-7 + 14*2.5e-6 + 48*2.5e-6 = 0.0000072 + 0.000035 + 0.00012 = 0.0001622
        assertThat(cost("gemini", "gemini-2.5-flash", new Usage(24, 62, 0, 0, 48, false))).isEqualByComparingTo("0.0001622");
        // With 1,000 of 5,000 prompt tokens from the context cache:
        // 4000*3e-7 + 1000*3e-8 = 0.0012 + 0.00003
        assertThat(cost("gemini", "gemini-2.5-flash", new Usage(5_000, 0, 1_000, 0, 0, false))).isEqualByComparingTo("0.00123");
    }

    @Test
    void reasoningPriceDifferentFromOutputIsApplied() {
        ModelPrice p = new ModelPrice("m", null, new BigDecimal("1e-6"), new BigDecimal("2e-6"), null, null,
                new BigDecimal("5e-6"), null, 0, 0, false);
        // 10 plain output at 2e-6 + 20 reasoning at 5e-6 = 0.00002 + 0.0001
        assertThat(p.cost(new Usage(0, 30, 0, 0, 20, false))).isEqualByComparingTo("0.00012");
    }

    @Test
    void longContextPricesAboveTwoHundredThousandInputTokens() {
        // claude-sonnet-4-5 above 200k: input 6e-6, output 2.25e-5.
        Usage u = Usage.of(250_000, 1_000);
        assertThat(cost("anthropic", "claude-sonnet-4-5", u)).isEqualByComparingTo("1.5225");
    }

    @Test
    void worstCaseUsesTheDearestInputAndOutputPrices() {
        ModelPrice sonnet = TABLE.find("anthropic", "claude-sonnet-4-5").orElseThrow();
        // cache write 3.75e-6 > input 3e-6: 1000*3.75e-6 + 256*1.5e-5 = 0.00375 + 0.00384
        assertThat(sonnet.worstCase(1_000, 256)).isEqualByComparingTo("0.00759");
    }

    @Test
    void userOverridesReplaceEntries(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("prices.json");
        Files.writeString(file, "{\"gpt-4o-mini\": {\"input_cost_per_token\": 1e-6, \"output_cost_per_token\": 2e-6},"
                + " \"my-model\": {\"input_cost_per_token\": 0, \"output_cost_per_token\": 1e-7, \"max_input_tokens\": 8192}}");
        PriceTable t = TABLE.withOverrides(file);
        assertThat(t.find("openai", "gpt-4o-mini").orElseThrow().cost(Usage.of(1, 1))).isEqualByComparingTo("0.000003");
        assertThat(t.find(null, "my-model").orElseThrow().maxInputTokens()).isEqualTo(8192);
        assertThatThrownBy(() -> PriceTable.parse("[1,2]")).hasMessageContaining("not a JSON object");
    }
}
