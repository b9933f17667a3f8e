package io.aegis.gateway.llm.cache;

/**
 * Turns a query into a vector for the semantic cache. Plug in a real embedding model here; the
 * built-in {@link LexicalEmbedder} only recognises near-duplicates. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Embedder {

    /** A vector of the text; vectors of one embedder all have the same length. */
    float[] embed(String text);
}
