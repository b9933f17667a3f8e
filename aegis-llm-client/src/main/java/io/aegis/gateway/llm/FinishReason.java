package io.aegis.gateway.llm;

/** Why the model stopped, normalised across providers. */
public enum FinishReason {
    /** A natural end or a stop sequence. */
    STOP,
    /** The output-token limit was reached. */
    LENGTH,
    /** The model asks for tool calls. */
    TOOL_CALLS,
    /** The provider withheld or cut the answer (safety, recitation, refusal). */
    CONTENT_FILTER,
    /** Anything else the provider reported. */
    OTHER
}
