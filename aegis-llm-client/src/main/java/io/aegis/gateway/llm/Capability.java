package io.aegis.gateway.llm;

/**
 * A coarse capability rank of a model, for request-type routing: a request type names a floor and
 * the router picks the cheapest candidate at or above it. Ranks are the operator's judgement,
 * configured per provider ({@code aegis.llm.providers.<name>.capability}).
 */
public enum Capability {
    /** Small, fast models: classification, routing, short extraction. */
    BASIC,
    /** General models: chat, extraction with schemas, summaries. */
    STANDARD,
    /** Frontier or reasoning models: multi-step reasoning, code, long documents. */
    ADVANCED;

    /** Whether this rank meets the floor. */
    public boolean meets(Capability floor) {
        return compareTo(floor) >= 0;
    }
}
