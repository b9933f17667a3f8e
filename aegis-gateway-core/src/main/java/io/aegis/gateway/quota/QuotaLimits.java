package io.aegis.gateway.quota;

import java.util.Locale;

/**
 * A daily and a monthly request budget; 0 means no budget for that period. The text form is
 * {@code 1000/day,20000/month} (either part may be left out).
 *
 * @param daily requests per local day, 0 for none
 * @param monthly requests per calendar month, 0 for none
 */
public record QuotaLimits(long daily, long monthly) {

    /** No budget at all. */
    public static final QuotaLimits NONE = new QuotaLimits(0, 0);

    /** @throws IllegalArgumentException for a negative budget */
    public QuotaLimits {
        if (daily < 0 || monthly < 0) {
            throw new IllegalArgumentException("quota: " + daily + "/day," + monthly
                    + "/month (expected: budgets >= 0, 0 meaning none)");
        }
    }

    public static QuotaLimits of(long daily, long monthly) {
        return new QuotaLimits(daily, monthly);
    }

    /**
     * Parses {@code N/day,M/month}.
     *
     * @throws IllegalArgumentException naming the part and the expected form
     */
    public static QuotaLimits parse(String text) {
        long d = 0;
        long m = 0;
        boolean any = false;
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            int slash = p.indexOf('/');
            long n;
            try {
                n = slash > 0 ? Long.parseLong(p.substring(0, slash).trim()) : -1;
            } catch (NumberFormatException e) {
                n = -1;
            }
            String unit = slash > 0 ? p.substring(slash + 1).trim() : "";
            if (n < 0 || !(unit.equals("day") || unit.equals("month") || unit.equals("d") || unit.equals("mo"))) {
                throw new IllegalArgumentException("quota: '" + text + "' (expected: N/day,M/month e.g. 1000/day,20000/month)");
            }
            if (unit.startsWith("d")) {
                d = n;
            } else {
                m = n;
            }
            any = true;
        }
        if (!any) {
            throw new IllegalArgumentException("quota: '" + text + "' (expected: N/day,M/month e.g. 1000/day,20000/month)");
        }
        return new QuotaLimits(d, m);
    }

    /** The budget of a period, 0 for none. */
    public long of(QuotaPeriod period) {
        return period == QuotaPeriod.DAY ? daily : monthly;
    }

    /** {@code true} when neither period has a budget. */
    public boolean isNone() {
        return daily == 0 && monthly == 0;
    }

    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        return (daily > 0 ? daily + "/day" : "") + (daily > 0 && monthly > 0 ? "," : "")
                + (monthly > 0 ? monthly + "/month" : "");
    }
}
