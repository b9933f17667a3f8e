package io.aegis.gateway.quota;

import io.aegis.gateway.policy.Tier;
import java.time.Instant;

/**
 * A caller's usage crossed an alert threshold. Fired once per caller, period and threshold, by
 * exactly one replica.
 *
 * @param caller the caller key ({@code t:acme}, {@code k:…}, {@code u:alice}, {@code ip:…})
 * @param tier the caller's tier
 * @param period the period whose budget is being used up
 * @param periodId the period, e.g. {@code 2026-03-08} or {@code 2026-03}
 * @param percent the threshold crossed
 * @param used requests counted in the period
 * @param limit the period's budget
 * @param resetsAt when the period ends
 */
public record QuotaAlert(String caller, Tier tier, QuotaPeriod period, String periodId, int percent, long used,
                         long limit, Instant resetsAt) {
}
