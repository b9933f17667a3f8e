package io.aegis.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.resilience.internal.RetryBudget;
import io.aegis.gateway.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Parsing and validation of the upstream model, hostile input included. */
class ModelTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "users:8080|users|8080|1|0",
            " users-1.internal:80;3 |users-1.internal|80|3|0",
            "10.0.0.7:9000;1;2|10.0.0.7|9000|1|2",
            "[::1]:8443;5|::1|8443|5|0",
            "USERS:8080|users|8080|1|0"})
    void targetsParse(String text, String host, int port, int weight, int priority) {
        assertThat(Target.parse(text)).isEqualTo(new Target(host, port, weight, priority));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "users", "users:", ":8080", "users:0", "users:65536", "users:80;0", "users:80;1001",
            "users:80;1;11", "users:80;1;0;9", "users:8O", "users:+80", "users:-1", "user s:80", "users:80;;",
            "::1:80", "[::1]80", "users:80%00", "users:99999999999999", "usérs:80", "users:８０", "a:80,b:81"})
    void malformedTargetsAreRefusedWithTheReason(String text) {
        assertThatThrownBy(() -> Target.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected");
    }

    @Test
    void targetListsAndDuplicates() {
        assertThat(Target.parseList("a:1, b:2;3 ,")).containsExactly(Target.of("a", 1), Target.of("b", 2, 3));
        assertThatThrownBy(() -> UpstreamPolicy.builder("users").target("a:1").target("A:1;2").build())
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> UpstreamPolicy.builder("users").build()).hasMessageContaining("no targets");
        assertThatThrownBy(() -> UpstreamPolicy.builder("Users_1")).hasMessageContaining("lower-case");
    }

    @Test
    void settingsRefuseNonsense() {
        assertThatThrownBy(() -> new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .hasMessageContaining("per-try");
        assertThatThrownBy(() -> RetrySettings.builder().maxAttempts(0).build()).hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> RetrySettings.builder().budget(Double.NaN, 1, Duration.ofSeconds(10)).build())
                .hasMessageContaining("budget.ratio");
        assertThatThrownBy(() -> RetrySettings.builder().retryOn(java.util.Set.of(404)).build()).hasMessageContaining("404");
        assertThatThrownBy(() -> CircuitBreakerSettings.builder().failureThreshold(6, 5).build())
                .hasMessageContaining("failure-threshold");
        assertThatThrownBy(() -> new HealthCheckSettings("health", Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1))
                .hasMessageContaining("path");
        assertThatThrownBy(() -> new OutlierDetection(true, 1, 1, Duration.ofSeconds(30), Duration.ofSeconds(10), 10))
                .hasMessageContaining("max-ejection-time");
    }

    @ParameterizedTest
    @CsvSource({"250,250", "0,0", " 17 ,17", "99999999999,-1", "-5,-1", "1e3,-1", "0x10,-1", "'',-1", "１０,-1",
            "86400001,86400000"})
    void deadlineHeaderParsing(String value, long expected) {
        assertThat(Deadline.parseHeader(value)).isEqualTo(expected);
    }

    @Test
    void deadlinesFollowTheirClock() {
        ManualTicker t = new ManualTicker();
        Deadline d = Deadline.after(Duration.ofMillis(500), t);
        assertThat(d.headerValue()).isEqualTo("500");
        t.advance(Duration.ofMillis(499));
        assertThat(d.expired()).isFalse();
        t.advance(Duration.ofMillis(2));
        assertThat(d.expired()).isTrue();
        assertThat(d.headerValue()).isEqualTo("0");
        Deadline sooner = Deadline.after(Duration.ofMillis(100), t);
        assertThat(Deadline.after(Duration.ofSeconds(5), t).earliest(sooner).remaining()).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void retryBudgetKeepsRetriesToTheRatioPlusTheFloor() {
        ManualTicker t = new ManualTicker();
        RetryBudget b = new RetryBudget(RetrySettings.builder().budget(0.1, 1, Duration.ofSeconds(10)).build(), t);
        int allowed = 0;
        for (int i = 0; i < 1000; i++) {
            b.onCall();
            if (b.tryRetry()) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(110); // 10% of 1000 + 1/s over 10 s
        t.advance(Duration.ofSeconds(10));
        assertThat(b.counts()).containsExactly(0, 0);
        assertThat(b.tryRetry()).isTrue(); // the floor is there again
    }
}
