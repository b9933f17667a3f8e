package io.aegis.gateway.quota;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The calendar of quotas in one time zone: which day and month an instant belongs to, and when
 * each ends (local midnight; the first of the next month), across DST changes. Immutable and
 * thread-safe.
 */
public final class QuotaCalendar {

    private final ZoneId zone;
    private volatile Cached cached; // the periods of the current day: computed once a day, not per request

    public QuotaCalendar(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ZoneId zone() {
        return zone;
    }

    /** The periods an instant falls in. */
    public Periods at(Instant now) {
        Cached c = cached;
        if (c != null && !now.isBefore(c.dayStart) && now.isBefore(c.periods.dayEnd)) {
            return c.periods;
        }
        LocalDate date = ZonedDateTime.ofInstant(now, zone).toLocalDate();
        Instant dayStart = date.atStartOfDay(zone).toInstant();
        Instant dayEnd = date.plusDays(1).atStartOfDay(zone).toInstant();
        Instant monthEnd = date.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant();
        Periods p = new Periods(date.toString(), dayEnd, date.toString().substring(0, 7), monthEnd);
        cached = new Cached(dayStart, p);
        return p;
    }

    private record Cached(Instant dayStart, Periods periods) {
    }

    /**
     * The day and month an instant falls in, and when they end.
     *
     * @param day the local date, e.g. {@code 2026-03-08}
     * @param dayEnd the next local midnight
     * @param month the month, e.g. {@code 2026-03}
     * @param monthEnd local midnight of the first of the next month
     */
    public record Periods(String day, Instant dayEnd, String month, Instant monthEnd) {

        /** The id of a period, e.g. {@code 2026-03-08} or {@code 2026-03}. */
        public String id(QuotaPeriod p) {
            return p == QuotaPeriod.DAY ? day : month;
        }

        /** When a period ends. */
        public Instant end(QuotaPeriod p) {
            return p == QuotaPeriod.DAY ? dayEnd : monthEnd;
        }
    }
}
