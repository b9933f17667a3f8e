package io.aegis.gateway.llm;

import java.util.Objects;

/**
 * One step of a route: a configured provider and the model to ask it for ({@code null}: the
 * provider's configured model). Text form {@code provider[/model]}, e.g. {@code openai},
 * {@code anthropic/claude-sonnet-4-5}, {@code huggingface/meta-llama/Llama-3.1-8B-Instruct:cerebras}.
 *
 * @param provider the configured provider name
 * @param model the model, or {@code null}
 */
public record Candidate(String provider, String model) {

    public Candidate {
        Objects.requireNonNull(provider, "provider");
        if (model != null && model.isBlank()) {
            model = null;
        }
    }

    public static Candidate of(String provider) {
        return new Candidate(provider, null);
    }

    /**
     * Parses {@code provider[/model]}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Candidate parse(String text) {
        String t = text == null ? "" : text.trim();
        int slash = t.indexOf('/');
        String p = slash < 0 ? t : t.substring(0, slash);
        if (!p.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new IllegalArgumentException("candidate: '" + text + "' (expected: provider[/model], e.g. openai or anthropic/claude-sonnet-4-5)");
        }
        return new Candidate(p, slash < 0 ? null : t.substring(slash + 1));
    }

    @Override
    public String toString() {
        return model == null ? provider : provider + "/" + model;
    }
}
