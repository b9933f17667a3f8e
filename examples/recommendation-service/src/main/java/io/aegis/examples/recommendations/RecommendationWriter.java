package io.aegis.examples.recommendations;

/**
 * Phrases a {@link Recommendation} for the person it is for. The seam where the LLM client of
 * issue 8 plugs in (an implementation calling {@code aegis-llm-client}); the default is
 * {@link TemplateRecommendationWriter}. Implementations must be thread-safe and must not fail:
 * when a model is unavailable, answer with the template.
 */
@FunctionalInterface
public interface RecommendationWriter {

    /** The message shown with the suggestions. */
    String write(Recommendation recommendation);
}
