package io.aegis.gateway.llm.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LineSplitterAndErrorsTest {

    @ParameterizedTest
    @CsvSource({"12ms,12", "1.8s,1800", "6m0s,360000", "1h2m3s,3723000", "0.5ms,1", "2s,2000"})
    void goDurations(String text, long millis) {
        assertThat(Errors.goDuration(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @CsvSource({"abc", "12", "1x", "s", "-1s"})
    void badGoDurationsAreIgnored(String text) {
        assertThat(Errors.goDuration(text)).isNull();
    }

    @Test
    void retryAfterInSecondsMillisecondsOrAsADate() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
        assertThat(Errors.retryAfter(headers("retry-after", "17"), clock)).isEqualTo(Duration.ofSeconds(17));
        assertThat(Errors.retryAfter(headers("retry-after-ms", "250", "retry-after", "1"), clock))
                .isEqualTo(Duration.ofMillis(250));
        assertThat(Errors.retryAfter(headers("retry-after", "Thu, 26 Nov 2026 10:00:30 GMT"), clock))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(Errors.retryAfter(headers("retry-after", "soon"), clock)).isNull();
        assertThat(Errors.retryAfter(headers("retry-after", "999999999999"), clock)).isEqualTo(Duration.ofDays(31));
    }

    @Test
    void protoDurations() {
        assertThat(Errors.protoDuration("41s")).isEqualTo(Duration.ofSeconds(41));
        assertThat(Errors.protoDuration("0.5s")).isEqualTo(Duration.ofMillis(500));
        assertThat(Errors.protoDuration("41")).isNull();
    }

    @Test
    void ndjsonLinesSplitOnAnyLineEnd() {
        List<String> lines = new java.util.ArrayList<>();
        LineSplitter s = new LineSplitter(1024, lines::add);
        s.feed("{\"a\":1}\r\n{\"b\":2}\n{\"c\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        s.feed(":3}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(lines).containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
    }

    static HttpHeaders headers(String... nv) {
        Map<String, List<String>> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < nv.length; i += 2) {
            m.put(nv[i], List.of(nv[i + 1]));
        }
        return HttpHeaders.of(m, (a, b) -> true);
    }
}
