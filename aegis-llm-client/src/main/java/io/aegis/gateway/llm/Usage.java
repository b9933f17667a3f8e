package io.aegis.gateway.llm;

/**
 * Token usage of one call, normalised across providers.
 *
 * <p>{@code inputTokens} counts every prompt token, cached or not; {@code cacheReadTokens} and
 * {@code cacheWriteTokens} are the parts of it read from or written to the provider's prompt
 * cache (Anthropic reports them apart from {@code input_tokens}; they are added in here).
 * {@code outputTokens} counts every generated token including {@code reasoningTokens} (Gemini
 * reports thoughts apart from candidates; they are added in here).
 *
 * @param inputTokens all prompt tokens
 * @param outputTokens all generated tokens, reasoning included
 * @param cacheReadTokens prompt tokens read from the cache (billed at the cache-read price)
 * @param cacheWriteTokens prompt tokens written to the cache (billed at the cache-write price)
 * @param reasoningTokens generated tokens spent on reasoning
 * @param estimated {@code true} when the provider reported no usage and these are estimates
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                   long reasoningTokens, boolean estimated) {

    private static final Usage NONE = new Usage(0, 0, 0, 0, 0, false);

    public Usage {
        if (inputTokens < 0 || outputTokens < 0 || cacheReadTokens < 0 || cacheWriteTokens < 0 || reasoningTokens < 0) {
            throw new IllegalArgumentException("token counts: negative (expected: >= 0)");
        }
        if (cacheReadTokens + cacheWriteTokens > inputTokens) {
            throw new IllegalArgumentException("cache tokens: " + (cacheReadTokens + cacheWriteTokens)
                    + " > input tokens " + inputTokens + " (expected: cached tokens are part of the input)");
        }
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoning tokens: " + reasoningTokens + " > output tokens "
                    + outputTokens + " (expected: reasoning tokens are part of the output)");
        }
    }

    /** No tokens. */
    public static Usage none() {
        return NONE;
    }

    /** Plain input and output counts as the provider reported them. */
    public static Usage of(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0, 0, false);
    }

    /** Estimated counts (the provider reported none). */
    public static Usage estimated(long inputTokens, long outputTokens) {
        return new Usage(inputTokens, outputTokens, 0, 0, 0, true);
    }

    public long totalTokens() {
        return inputTokens + outputTokens;
    }

    /** Sums two usages (e.g. a prefill continuation and the attempt it continues). */
    public Usage plus(Usage o) {
        return new Usage(inputTokens + o.inputTokens, outputTokens + o.outputTokens, cacheReadTokens + o.cacheReadTokens,
                cacheWriteTokens + o.cacheWriteTokens, reasoningTokens + o.reasoningTokens, estimated || o.estimated);
    }
}
