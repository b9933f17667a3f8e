package io.aegis.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Calendar-aligned periods across time zones, month ends, leap years and DST changes. */
class QuotaCalendarTest {

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource({
            // instant,                 zone,              day,         day ends (UTC),        hours, month,   month ends (UTC)
            "2026-03-10T12:00:00Z,      UTC,               2026-03-10,  2026-03-11T00:00:00Z,  24, 2026-03, 2026-04-01T00:00:00Z",
            "2026-03-10T15:30:00Z,      Asia/Seoul,        2026-03-11,  2026-03-11T15:00:00Z,  24, 2026-03, 2026-03-31T15:00:00Z",
            "2026-03-10T14:59:59Z,      Asia/Seoul,        2026-03-10,  2026-03-10T15:00:00Z,  24, 2026-03, 2026-03-31T15:00:00Z",
            "2026-01-31T15:00:00Z,      Asia/Seoul,        2026-02-01,  2026-02-01T15:00:00Z,  24, 2026-02, 2026-02-28T15:00:00Z",
            "2028-02-28T23:00:00Z,      UTC,               2028-02-28,  2028-02-29T00:00:00Z,  24, 2028-02, 2028-03-01T00:00:00Z",
            // New York springs forward on 2026-03-08: that local day has 23 hours
            "2026-03-08T12:00:00Z,      America/New_York,  2026-03-08,  2026-03-09T04:00:00Z,  23, 2026-03, 2026-04-01T04:00:00Z",
            // ... and falls back on 2026-11-01: 25 hours
            "2026-11-01T12:00:00Z,      America/New_York,  2026-11-01,  2026-11-02T05:00:00Z,  25, 2026-11, 2026-12-01T05:00:00Z",
            // Berlin: the month of the DST change ends at local midnight in summer time
            "2026-03-29T00:30:00Z,      Europe/Berlin,     2026-03-29,  2026-03-29T22:00:00Z,  23, 2026-03, 2026-03-31T22:00:00Z",
            "2026-12-31T23:30:00Z,      Europe/Berlin,     2027-01-01,  2027-01-01T23:00:00Z,  24, 2027-01, 2027-01-31T23:00:00Z",
            // Chatham Islands, +12:45/+13:45, to catch anyone assuming whole hours
            "2026-06-15T00:00:00Z,      Pacific/Chatham,   2026-06-15,  2026-06-15T11:15:00Z,  24, 2026-06, 2026-06-30T11:15:00Z",
    })
    void periods(String instant, String zone, String day, String dayEnd, int hours, String month, String monthEnd) {
        QuotaCalendar cal = new QuotaCalendar(ZoneId.of(zone));
        QuotaCalendar.Periods p = cal.at(Instant.parse(instant));
        assertThat(p.day()).isEqualTo(day);
        assertThat(p.dayEnd()).isEqualTo(Instant.parse(dayEnd));
        assertThat(p.month()).isEqualTo(month);
        assertThat(p.monthEnd()).isEqualTo(Instant.parse(monthEnd));
        QuotaCalendar.Periods dayStart = cal.at(p.dayEnd().minusNanos(1));
        assertThat(dayStart.day()).isEqualTo(day);
        QuotaCalendar.Periods next = cal.at(p.dayEnd());
        assertThat(next.day()).isNotEqualTo(day);
        Instant start = p.dayEnd().minus(Duration.ofHours(hours));
        assertThat(cal.at(start).day()).as("the local day lasts %d hours", hours).isEqualTo(day);
        assertThat(cal.at(start.minusNanos(1)).day()).as("the local day lasts %d hours", hours).isNotEqualTo(day);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1000/day,20000/month | 1000 | 20000",
            "500/day              | 500  | 0",
            " 7/month             | 0    | 7",
            "10/d, 300/mo         | 10   | 300",
    })
    void parsesLimits(String text, long daily, long monthly) {
        assertThat(QuotaLimits.parse(text)).isEqualTo(QuotaLimits.of(daily, monthly));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1000", "-1/day", "10/week", "x/day", "/day", "''", "10/day,,20/hour",
            "99999999999999999999/day", "1e3/day", "10/day/month", "10 /dai", "0x10/day"})
    void refusesMalformedLimits(String text) {
        assertThatThrownBy(() -> QuotaLimits.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: N/day,M/month");
    }
}
