package io.aegis.examples.policies;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * An insurance policy document.
 *
 * @param id {@code p-<n>}
 * @param owner the user it belongs to ({@code u-<n>}, an id of the user-service)
 * @param product {@code auto}, {@code home}, {@code health}, {@code travel} or {@code life}
 * @param title a short name
 * @param coverage the insured amount
 * @param monthlyPremium what it costs per month
 * @param currency ISO 4217 code
 * @param createdAt when it was stored
 */
public record Policy(String id, String owner, String product, String title, BigDecimal coverage,
                     BigDecimal monthlyPremium, String currency, Instant createdAt) {
}
