package io.aegis.gateway.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BrownoutTest {

    static final Instant DEPRECATION = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant SUNSET = Instant.parse("2026-07-01T00:00:00Z");

    @Test
    void windowsRefuseEveryoneUntilTheirEnd() {
        Brownout b = Brownout.builder().windows(Brownout.parseWindows(
                "2026-03-02T09:00:00Z/PT1H, 2026-04-06T09:00:00Z/2026-04-06T13:00:00Z")).build();
        assertThat(b.refusedUntil(Instant.parse("2026-03-02T08:59:59Z"), "sub:a", "v1", DEPRECATION, SUNSET)).isNull();
        assertThat(b.refusedUntil(Instant.parse("2026-03-02T09:00:00Z"), "sub:a", "v1", DEPRECATION, SUNSET))
                .isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(b.refusedUntil(Instant.parse("2026-03-02T09:59:59Z"), "sub:b", "v1", DEPRECATION, SUNSET))
                .isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
        assertThat(b.refusedUntil(Instant.parse("2026-03-02T10:00:00Z"), "sub:a", "v1", DEPRECATION, SUNSET)).isNull();
        assertThat(b.refusedUntil(Instant.parse("2026-04-06T12:00:00Z"), "sub:a", "v1", DEPRECATION, SUNSET))
                .isEqualTo(Instant.parse("2026-04-06T13:00:00Z"));
    }

    @Test
    void aPercentageIsDeterministicPerClientWithinASlot() {
        Brownout b = Brownout.builder().percentage(30).slot(Duration.ofHours(1)).build();
        Instant slotStart = Instant.parse("2026-03-02T09:00:00Z");
        for (int c = 0; c < 200; c++) {
            String client = "sub:client-" + c;
            Instant first = b.refusedUntil(slotStart, client, "v1", DEPRECATION, SUNSET);
            for (int minute = 1; minute < 60; minute += 7) {
                assertThat(b.refusedUntil(slotStart.plusSeconds(minute * 60L), client, "v1", DEPRECATION, SUNSET))
                        .as("client %s at minute %d", client, minute).isEqualTo(first);
            }
            if (first != null) {
                assertThat(first).isEqualTo(Instant.parse("2026-03-02T10:00:00Z"));
            }
        }
    }

    @Test
    void aboutThePercentageOfClientsIsRefusedAndADifferentShareEachSlot() {
        Brownout b = Brownout.builder().percentage(10).build();
        Instant t = Instant.parse("2026-03-02T09:30:00Z");
        int refused = 0;
        int refusedBothSlots = 0;
        int n = 20_000;
        for (int c = 0; c < n; c++) {
            boolean now = b.refusedUntil(t, "ip:10.0." + (c >> 8) + "." + (c & 255), "v1", DEPRECATION, SUNSET) != null;
            boolean next = b.refusedUntil(t.plusSeconds(3600), "ip:10.0." + (c >> 8) + "." + (c & 255), "v1",
                    DEPRECATION, SUNSET) != null;
            refused += now ? 1 : 0;
            refusedBothSlots += now && next ? 1 : 0;
        }
        assertThat(refused).isBetween((int) (n * 0.09), (int) (n * 0.11));
        // Independent slots: about 10% of 10% are refused in both.
        assertThat(refusedBothSlots).isBetween((int) (n * 0.005), (int) (n * 0.015));
    }

    @Test
    void percentageRefusalsStartAtTheDeprecationOrTheirOwnStartAndEndAtTheSunset() {
        Brownout all = Brownout.builder().percentage(100).build();
        assertThat(all.refusedUntil(DEPRECATION.minusSeconds(1), "sub:a", "v1", DEPRECATION, SUNSET)).isNull();
        assertThat(all.refusedUntil(DEPRECATION, "sub:a", "v1", DEPRECATION, SUNSET)).isNotNull();
        assertThat(all.refusedUntil(SUNSET, "sub:a", "v1", DEPRECATION, SUNSET)).isNull();
        assertThat(all.refusedUntil(SUNSET.minusSeconds(1), "sub:a", "v1", DEPRECATION, SUNSET)).isEqualTo(SUNSET);
        assertThat(all.refusedUntil(DEPRECATION, "sub:a", "v1", null, SUNSET)).as("no start: never").isNull();
        Brownout late = Brownout.builder().percentage(100).from(Instant.parse("2026-06-01T00:00:00Z")).build();
        assertThat(late.refusedUntil(Instant.parse("2026-05-31T23:59:59Z"), "sub:a", "v1", DEPRECATION, SUNSET)).isNull();
        assertThat(late.refusedUntil(Instant.parse("2026-06-01T00:00:00Z"), "sub:a", "v1", DEPRECATION, SUNSET)).isNotNull();
        assertThat(Brownout.builder().percentage(0).build().refusedUntil(DEPRECATION, "sub:a", "v1", DEPRECATION, SUNSET)).isNull();
    }

    @Test
    void parsesWindowsAndPercentages() {
        assertThat(Brownout.parseWindows("2026-03-02/2026-03-03")).containsExactly(new Brownout.Window(
                Instant.parse("2026-03-02T00:00:00Z"), Instant.parse("2026-03-03T00:00:00Z")));
        assertThat(Brownout.parseWindows(" ")).isEmpty();
        assertThat(Brownout.parsePercentage("12.5%")).isEqualTo(12.5);
        assertThat(Brownout.parsePercentage("100")).isEqualTo(100);
        assertThat(Brownout.builder().percentage(12.34).build().percentage()).isEqualTo(12.34);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z/", "/PT1H", "2026-03-02T09:00:00Z/PT1X",
            "2026-03-02T10:00:00Z/2026-03-02T09:00:00Z", "2026-03-02T09:00:00Z/PT0S", "a/b", "2026-03-02T09:00:00Z/PT1H/PT1H"})
    void rejectsMalformedWindows(String text) {
        assertThatThrownBy(() -> Brownout.parseWindows(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("brownout window");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "101", "100.01", "ten", "1e2", "5.555", "", "NaN", "０"})
    void rejectsMalformedPercentages(String text) {
        assertThatThrownBy(() -> Brownout.parsePercentage(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("brownout percentage");
    }

    @Test
    void slotBounds() {
        assertThatThrownBy(() -> Brownout.builder().slot(Duration.ofMillis(10))).hasMessageContaining("expected: 1s to 7d");
        assertThatThrownBy(() -> Brownout.builder().slot(Duration.ofDays(8))).hasMessageContaining("expected: 1s to 7d");
        assertThat(Brownout.builder().window(DEPRECATION, SUNSET).build().windows()).hasSize(1);
        assertThat(Brownout.builder().windows(List.of()).build().isEmpty()).isTrue();
    }
}
