package io.aegis.gateway.llm;

/** Who wrote a {@link Message}. */
public enum Role {
    /** Instructions for the model; providers without a system role get them in their own form. */
    SYSTEM,
    /** The end user or the calling service. */
    USER,
    /** The model (earlier turns, or a prefill the model continues). */
    ASSISTANT,
    /** The result of a tool call the model asked for. */
    TOOL
}
