package io.aegis.gateway.llm.budget;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** UTC day and month windows. */
final class Windows {

    private Windows() {
    }

    static Instant dayEnd(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    static Instant monthEnd(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
    }

    static Duration untilEnd(String window, Instant now) {
        return Duration.between(now, window.startsWith("d:") ? dayEnd(now) : monthEnd(now));
    }
}
