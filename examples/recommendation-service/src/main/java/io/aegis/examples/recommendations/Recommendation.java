package io.aegis.examples.recommendations;

import java.util.List;
import java.util.Set;

/**
 * A recommendation before it is phrased: who it is for, what they own, what is suggested and why,
 * and which inputs were missing.
 *
 * @param userId the user
 * @param userName their name, or {@code null} when the user-service did not answer
 * @param city their city, or {@code null}
 * @param ownedProducts the products of their policies, or {@code null} when the policy-service did not answer
 * @param suggestions what to suggest, best first
 * @param degraded the missing inputs ({@code user}, {@code policy})
 */
public record Recommendation(String userId, String userName, String city, List<String> ownedProducts,
                             List<Suggestion> suggestions, Set<String> degraded) {

    /**
     * One suggested product.
     *
     * @param product {@code auto}, {@code home}, {@code health}, {@code travel} or {@code life}
     * @param reason why, in a sentence
     */
    public record Suggestion(String product, String reason) {
    }
}
