package io.aegis.gateway.quota;

import java.util.List;

/**
 * What a {@link io.aegis.gateway.quota.spi.QuotaStore} answers for one caller: whether the request
 * was counted, the budgets in force (the caller's override, else its tier's), the counts after it,
 * and the alert thresholds this request crossed first (each reported once per caller and period,
 * across replicas).
 *
 * @param allowed whether the request fitted every budget and was counted
 * @param limits the budgets applied
 * @param dayUsed requests counted this local day
 * @param monthUsed requests counted this month
 * @param crossed thresholds crossed for the first time in their period
 */
public record QuotaCounts(boolean allowed, QuotaLimits limits, long dayUsed, long monthUsed, List<Crossing> crossed) {

    public QuotaCounts {
        crossed = List.copyOf(crossed);
    }

    /** Requests counted in a period. */
    public long used(QuotaPeriod p) {
        return p == QuotaPeriod.DAY ? dayUsed : monthUsed;
    }

    /**
     * A threshold crossed.
     *
     * @param period the period
     * @param percent the threshold, in percent of the budget
     */
    public record Crossing(QuotaPeriod period, int percent) {
    }
}
