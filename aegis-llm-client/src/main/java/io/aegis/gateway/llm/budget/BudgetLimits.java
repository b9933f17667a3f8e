package io.aegis.gateway.llm.budget;

import java.math.BigDecimal;

/**
 * The spending limits of one budget key, in nano-dollars ({@link Money}); {@code -1} means no limit
 * for that window. Windows are calendar days and months in UTC.
 *
 * @param dailyNanos the limit per UTC day, or -1
 * @param monthlyNanos the limit per UTC month, or -1
 */
public record BudgetLimits(long dailyNanos, long monthlyNanos) {

    private static final BudgetLimits NONE = new BudgetLimits(-1, -1);

    public BudgetLimits {
        if (dailyNanos < -1 || monthlyNanos < -1) {
            throw new IllegalArgumentException("limits: " + dailyNanos + "/" + monthlyNanos + " (expected: >= 0, or -1 for none)");
        }
    }

    /** No limit at all. */
    public static BudgetLimits none() {
        return NONE;
    }

    /** Limits in dollars; {@code null} for no limit in that window. */
    public static BudgetLimits usd(BigDecimal daily, BigDecimal monthly) {
        return new BudgetLimits(daily == null ? -1 : Money.toNanos(daily), monthly == null ? -1 : Money.toNanos(monthly));
    }

    public boolean unlimited() {
        return dailyNanos < 0 && monthlyNanos < 0;
    }
}
