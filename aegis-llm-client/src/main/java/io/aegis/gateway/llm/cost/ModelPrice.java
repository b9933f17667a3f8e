package io.aegis.gateway.llm.cost;

import io.aegis.gateway.llm.Usage;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * The prices (USD per token) and limits of one model. Cache-read and cache-write prices default to
 * the input price, the reasoning price to the output price, when the table gives none. Prices
 * "above 200k tokens" apply to the whole call when its input exceeds 200,000 tokens (Anthropic's
 * and Gemini's long-context tiers). Immutable.
 *
 * @param key the table key ({@code gpt-4o-mini}, {@code gemini/gemini-2.5-flash})
 * @param provider the table's {@code litellm_provider}, or {@code null}
 * @param input price of an uncached input token
 * @param output price of an output token
 * @param cacheRead price of an input token read from the prompt cache, or {@code null}
 * @param cacheWrite price of an input token written to the prompt cache, or {@code null}
 * @param reasoning price of a reasoning token, or {@code null}
 * @param longContext prices ({@code input, output, cacheRead, cacheWrite}) above 200k input tokens, entries may be {@code null}
 * @param maxInputTokens the context window (input), 0 when unknown
 * @param maxOutputTokens the output limit, 0 when unknown
 * @param supportsPrefill whether the model continues a trailing assistant message
 */
public record ModelPrice(String key, String provider, BigDecimal input, BigDecimal output, BigDecimal cacheRead,
                         BigDecimal cacheWrite, BigDecimal reasoning, BigDecimal[] longContext, long maxInputTokens,
                         long maxOutputTokens, boolean supportsPrefill) {

    /** Input tokens above which the long-context prices apply. */
    public static final long LONG_CONTEXT_THRESHOLD = 200_000;

    private static final BigDecimal[] NONE = new BigDecimal[4];

    public ModelPrice {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        longContext = longContext == null ? NONE : longContext.clone();
        if (longContext.length != 4) {
            throw new IllegalArgumentException("longContext: " + longContext.length + " prices (expected: 4)");
        }
    }

    /** A flat price in USD per million tokens (configuration overrides). */
    public static ModelPrice perMillion(String key, BigDecimal inputPerMillion, BigDecimal outputPerMillion, long maxInput) {
        BigDecimal m = BigDecimal.valueOf(1_000_000);
        return new ModelPrice(key, null, inputPerMillion.divide(m), outputPerMillion.divide(m), null, null, null, null,
                maxInput, 0, false);
    }

    /** Free (local models). */
    public static ModelPrice free(String key) {
        return new ModelPrice(key, null, BigDecimal.ZERO, BigDecimal.ZERO, null, null, null, null, 0, 0, false);
    }

    @Override
    public BigDecimal[] longContext() {
        return longContext.clone();
    }

    /**
     * The cost of a call: uncached input at the input price, cache reads and writes at theirs,
     * output at the output price except reasoning tokens at the reasoning price.
     */
    public BigDecimal cost(Usage u) {
        boolean lc = u.inputTokens() > LONG_CONTEXT_THRESHOLD;
        BigDecimal in = lc && longContext[0] != null ? longContext[0] : input;
        BigDecimal out = lc && longContext[1] != null ? longContext[1] : output;
        BigDecimal read = lc && longContext[2] != null ? longContext[2] : cacheRead != null ? cacheRead : in;
        BigDecimal write = lc && longContext[3] != null ? longContext[3] : cacheWrite != null ? cacheWrite : in;
        BigDecimal reason = reasoning != null ? reasoning : out;
        long uncached = u.inputTokens() - u.cacheReadTokens() - u.cacheWriteTokens();
        long plainOut = u.outputTokens() - u.reasoningTokens();
        return in.multiply(BigDecimal.valueOf(uncached))
                .add(read.multiply(BigDecimal.valueOf(u.cacheReadTokens())))
                .add(write.multiply(BigDecimal.valueOf(u.cacheWriteTokens())))
                .add(out.multiply(BigDecimal.valueOf(plainOut)))
                .add(reason.multiply(BigDecimal.valueOf(u.reasoningTokens())))
                .stripTrailingZeros();
    }

    /**
     * The most a call can cost: every input token uncached at the input price (a cache write costs
     * more: the write price is used when it is higher) and {@code maxOutputTokens} at the higher of
     * the output and reasoning prices.
     */
    public BigDecimal worstCase(long inputTokens, long maxOutputTokens) {
        boolean lc = inputTokens > LONG_CONTEXT_THRESHOLD;
        BigDecimal in = lc && longContext[0] != null ? longContext[0] : input;
        BigDecimal write = lc && longContext[3] != null ? longContext[3] : cacheWrite;
        if (write != null && write.compareTo(in) > 0) {
            in = write;
        }
        BigDecimal out = lc && longContext[1] != null ? longContext[1] : output;
        if (reasoning != null && reasoning.compareTo(out) > 0) {
            out = reasoning;
        }
        return in.multiply(BigDecimal.valueOf(inputTokens)).add(out.multiply(BigDecimal.valueOf(maxOutputTokens)))
                .stripTrailingZeros();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelPrice p && p.key.equals(key) && p.input.compareTo(input) == 0
                && p.output.compareTo(output) == 0;
    }

    @Override
    public int hashCode() {
        return key.hashCode();
    }

    @Override
    public String toString() {
        return "ModelPrice[" + key + ", in " + input.toPlainString() + ", out " + output.toPlainString() + "/token]";
    }
}
