package io.aegis.examples.recommendations;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Chooses products to suggest from what a user owns: plain rules, no model. Stateless. */
final class Recommender {

    private static final Map<String, String> REASONS = new LinkedHashMap<>();

    static {
        REASONS.put("health", "Medical costs are the most common large unplanned expense.");
        REASONS.put("home", "Protects the place you live and what is in it.");
        REASONS.put("life", "Keeps your family's plans on track if the worst happens.");
        REASONS.put("travel", "Covers cancellations and care abroad.");
        REASONS.put("auto", "Required on the road, and cheaper bundled.");
    }

    private Recommender() {
    }

    static Recommendation recommend(String userId, String name, String city, List<String> owned, Set<String> degraded) {
        List<String> order = new ArrayList<>(REASONS.keySet());
        if (owned != null) {
            if (owned.contains("auto")) {
                order.remove("travel");
                order.add(0, "travel"); // drivers travel: suggest it first
            }
            if (owned.contains("home")) {
                order.remove("life");
                order.add(0, "life");
            }
        }
        List<Recommendation.Suggestion> out = new ArrayList<>();
        for (String product : order) {
            if (owned != null && owned.contains(product)) {
                continue;
            }
            out.add(new Recommendation.Suggestion(product, REASONS.get(product)));
            if (out.size() == (owned == null ? 2 : 3)) {
                break;
            }
        }
        return new Recommendation(userId, name, city, owned, List.copyOf(out), degraded);
    }
}
