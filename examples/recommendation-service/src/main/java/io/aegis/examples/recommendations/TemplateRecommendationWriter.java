package io.aegis.examples.recommendations;

import java.util.List;

/** Phrases recommendations from a fixed template: deterministic, instant, never fails. Thread-safe. */
public final class TemplateRecommendationWriter implements RecommendationWriter {

    @Override
    public String write(Recommendation r) {
        StringBuilder sb = new StringBuilder();
        sb.append("Hello ").append(r.userName() == null ? "there" : r.userName()).append(". ");
        if (r.ownedProducts() == null) {
            sb.append("We could not look at your current policies just now, so here are the covers most people start with: ");
        } else if (r.ownedProducts().isEmpty()) {
            sb.append("You have no policy with us yet. A good start: ");
        } else {
            sb.append("You are covered for ").append(String.join(" and ", r.ownedProducts())).append(". You may also want ");
        }
        List<Recommendation.Suggestion> s = r.suggestions();
        for (int i = 0; i < s.size(); i++) {
            if (i > 0) {
                sb.append(i == s.size() - 1 ? " and " : ", ");
            }
            sb.append(s.get(i).product()).append(" insurance");
        }
        sb.append('.');
        return sb.toString();
    }
}
