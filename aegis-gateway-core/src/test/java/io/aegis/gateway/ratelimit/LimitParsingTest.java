package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LimitParsingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "5/1s,100/1m|5/1s,100/1m",
            "100/1m,5/1s|5/1s,100/1m",
            "10/500ms|10/500ms",
            "5/PT1M|5/1m",
            "5/pt1m|5/1m",
            "7/P1D|7/1d",
            "' 5 / 1s , 60 / 1h '|5/1s,60/1h",
            "5/90s|5/90s",
            "5/60s|5/1m",
            "5/2min|5/2m",
            "5/1|5/1s",
            "1000/1000ms|1000/1s",
            "5/1s,,100/1m|5/1s,100/1m"})
    void validLimitSetsParseAndPrintCanonically(String text, String canonical) {
        LimitSet set = LimitSet.parse(text);
        assertThat(set).hasToString(canonical);
        assertThat(LimitSet.parse(canonical)).isEqualTo(set);
    }

    @Test
    void theLimitsAreSortedShortestWindowFirst() {
        LimitSet set = LimitSet.parse("1000/1h,10/500ms,100/1m");
        assertThat(set.limits()).containsExactly(Limit.of(10, Duration.ofMillis(500)), Limit.of(100, Duration.ofMinutes(1)),
                Limit.of(1000, Duration.ofHours(1)));
        assertThat(set.limits().get(0).windowSeconds()).isEqualTo(1);
        assertThat(Limit.parse("5/1500ms").windowSeconds()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0/1s|count: 0 (expected: > 0)",
            "-1/1s|count: -1 (expected: > 0)",
            "5/|limit: '5/' (expected: count/duration, e.g. 10/1s)",
            "/1s|limit: '/1s' (expected: count/duration, e.g. 10/1s)",
            "5|limit: '5' (expected: count/duration, e.g. 10/1s)",
            "abc/1s|limit: 'abc/1s' (expected: a whole number before '/')",
            "1.5/1s|limit: '1.5/1s' (expected: a whole number before '/')",
            "5/1x|duration: '1x' (expected: a unit of ms, s, m, h or d)",
            "5/1.5s|duration: '1.5s' (expected: a unit of ms, s, m, h or d)",
            "5/s|duration: 's' (expected: e.g. 1s, 5m, PT1H)",
            "5/-1s|duration: '-1s' (expected: e.g. 1s, 5m, PT1H)",
            "5/PTx|duration: 'PTx' (expected: e.g. 1s, 5m, PT1H)",
            "5/0s|window: PT0S (expected: >= 1ms)",
            "5/PT-1S|window: PT-1S (expected: >= 1ms)",
            "5/1s,6/1s|limits: [5/1s, 6/1s] (expected: at most one limit per window, found two for PT1S)",
            "5/1s,6/1000ms|limits: [5/1s, 6/1s] (expected: at most one limit per window, found two for PT1S)",
            "' , '|limits: ' , ' (expected: count/duration[,count/duration...], e.g. 5/1s,100/1m)"})
    void invalidLimitsAreRefusedNamingTheOffenderAndTheExpectation(String text, String message) {
        assertThatThrownBy(() -> LimitSet.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void scalingKeepsAtLeastOneRequest() {
        assertThat(LimitSet.parse("10/1s,100/1m").scaled(0.5)).hasToString("5/1s,50/1m");
        assertThat(LimitSet.parse("1/1s").scaled(0.01)).hasToString("1/1s");
        assertThatThrownBy(() -> LimitSet.parse("1/1s").scaled(0)).hasMessage("factor: 0.0 (expected: > 0)");
    }

    @Test
    void durationsFormatInTheShortestExactUnit() {
        assertThat(Limit.formatDuration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Limit.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Limit.formatDuration(Duration.ofMinutes(120))).isEqualTo("2h");
        assertThat(Limit.formatDuration(Duration.ofDays(7))).isEqualTo("7d");
    }
}
