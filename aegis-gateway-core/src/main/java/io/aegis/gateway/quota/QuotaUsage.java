package io.aegis.gateway.quota;

import java.time.Instant;

/**
 * A caller's usage in the current periods.
 *
 * @param caller the caller key
 * @param limits the budgets that apply (the override, else the tier's; {@link QuotaLimits#NONE} when unknown)
 * @param overridden whether {@code limits} is a per-caller override
 * @param dayUsed requests counted this local day
 * @param dayResetsAt the next local midnight
 * @param monthUsed requests counted this month
 * @param monthResetsAt the first of the next month, local midnight
 */
public record QuotaUsage(String caller, QuotaLimits limits, boolean overridden, long dayUsed, Instant dayResetsAt,
                         long monthUsed, Instant monthResetsAt) {
}
