package io.aegis.gateway.llm;

/**
 * One event of a streamed answer. A stream is a sequence of {@link Delta}, {@link ToolCallDelta}
 * and {@link UsageReport} events that ends with exactly one {@link Done} (then {@code onComplete})
 * or one {@link Failed} (then {@code onError} with the same exception).
 */
public sealed interface StreamEvent {

    /**
     * A piece of generated text.
     *
     * @param text the new text, to append to what came before
     */
    record Delta(String text) implements StreamEvent {
    }

    /**
     * A piece of a tool call. The first piece of a call carries its id and name; later pieces
     * carry argument fragments to append.
     *
     * @param index which call of the answer (0-based)
     * @param id the call id, or {@code null} on continuation pieces
     * @param name the function name, or {@code null} on continuation pieces
     * @param argumentsFragment text to append to the call's JSON arguments (may be empty)
     */
    record ToolCallDelta(int index, String id, String name, String argumentsFragment) implements StreamEvent {
    }

    /**
     * The token usage of the stream, sent once, just before {@link Done}.
     *
     * @param usage the usage (cumulative counts already resolved)
     */
    record UsageReport(Usage usage) implements StreamEvent {
    }

    /**
     * The stream completed; carries the whole answer (content assembled from the deltas).
     *
     * @param response the answer, with usage and cost
     */
    record Done(LlmResponse response) implements StreamEvent {
    }

    /**
     * The stream failed; {@code onError} follows with the same exception. An interruption after
     * text was delivered is an {@link IncompleteResponseException} carrying that text.
     *
     * @param error the failure
     */
    record Failed(LlmException error) implements StreamEvent {
    }
}
