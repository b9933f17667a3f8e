package io.aegis.gateway.quota;

import java.util.Locale;

/** The calendar periods a quota counts over. */
public enum QuotaPeriod {
    /** From local midnight to the next local midnight (23, 24 or 25 hours across DST changes). */
    DAY,
    /** From the first of the month at local midnight to the first of the next month. */
    MONTH;

    /** {@code day} or {@code month}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
