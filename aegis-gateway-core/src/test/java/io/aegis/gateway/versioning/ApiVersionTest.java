package io.aegis.gateway.versioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApiVersionTest {

    static final Instant RELEASE = Instant.parse("2024-01-15T00:00:00Z");
    static final Instant DEPRECATION = Instant.parse("2025-06-01T00:00:00Z");
    static final Instant SUNSET = Instant.parse("2027-01-01T00:00:00Z");

    static ApiVersion v1() {
        return ApiVersion.builder("v1").release(RELEASE).deprecation(DEPRECATION).sunset(SUNSET).successor("v2")
                .migrationGuide("https://docs.example.com/v1-to-v2").build();
    }

    @Test
    void statusFollowsTheDates() {
        ApiVersion v = v1();
        assertThat(v.status(RELEASE)).isEqualTo(VersionStatus.ACTIVE);
        assertThat(v.status(DEPRECATION.minusSeconds(1))).isEqualTo(VersionStatus.ACTIVE);
        assertThat(v.status(DEPRECATION)).isEqualTo(VersionStatus.DEPRECATED);
        assertThat(v.status(SUNSET.minusMillis(1))).isEqualTo(VersionStatus.DEPRECATED);
        assertThat(v.status(SUNSET)).isEqualTo(VersionStatus.SUNSET);
        assertThat(v.status(SUNSET.plusSeconds(86_400 * 365))).isEqualTo(VersionStatus.SUNSET);
    }

    @Test
    void forcedStatusBeatsTheDates() {
        assertThat(v1().toBuilder().forcedStatus(VersionStatus.SUNSET).build().status(RELEASE)).isEqualTo(VersionStatus.SUNSET);
        assertThat(v1().toBuilder().forcedStatus(VersionStatus.ACTIVE).build().status(SUNSET.plusSeconds(1)))
                .isEqualTo(VersionStatus.ACTIVE);
        assertThat(ApiVersion.builder("v3").forcedStatus(VersionStatus.DEPRECATED).build().status(RELEASE))
                .isEqualTo(VersionStatus.DEPRECATED);
    }

    @Test
    void datesMustBeInOrder() {
        assertThatThrownBy(() -> ApiVersion.builder("v1").deprecation(SUNSET).sunset(DEPRECATION).build())
                .hasMessage("API version v1: sunset 2025-06-01T00:00:00Z is not after its deprecation 2027-01-01T00:00:00Z"
                        + " (expected: sunset after deprecation)");
        assertThatThrownBy(() -> ApiVersion.builder("v1").deprecation(DEPRECATION).sunset(DEPRECATION).build())
                .hasMessageContaining("expected: sunset after deprecation");
        assertThatThrownBy(() -> ApiVersion.builder("v2").release(DEPRECATION).deprecation(RELEASE).build())
                .hasMessageContaining("API version v2: deprecation").hasMessageContaining("expected: deprecation on or after release");
        assertThatThrownBy(() -> ApiVersion.builder("v2").release(SUNSET).sunset(DEPRECATION).build())
                .hasMessageContaining("expected: sunset after release");
        assertThatThrownBy(() -> ApiVersion.builder("v2").successor("v2").build())
                .hasMessage("API version v2 names itself as successor (expected: a newer version)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v2", "v10", "v0", "v999999999"})
    void validIds(String id) {
        assertThat(ApiVersion.isValidId(id)).isTrue();
        assertThat(ApiVersion.builder(id).build().id()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "v", "1", "V1", "v01", "v1.2", "v-1", "v1 ", " v1", "vv1", "v１", "v\u0661", "v1234567890",
            "v1/", "v1%00", "version1"})
    void invalidIds(String id) {
        assertThat(ApiVersion.isValidId(id)).isFalse();
        assertThatThrownBy(() -> ApiVersion.builder(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: v followed by a number without leading zeros");
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> {1}")
    @CsvSource(value = {
        "v2|v2", "V2|v2", "2|v2", " 2 |v2", "v02|v2", "0|v0", "v123456789|v123456789",
        "''|null", "v|null", "v1.0|null", "two|null", "２|null", "v\u0662|null", "-2|null", "+2|null",
        "v1234567890|null", "2e0|null", "0x2|null", "v 2|null"
    }, delimiter = '|', nullValues = "null")
    void clientsMayWriteVersionsLoosely(String text, String expected) {
        assertThat(ApiVersion.normalizeId(text)).isEqualTo(expected);
    }

    @Test
    void datesParseAsIsoDatesOrDateTimes() {
        assertThat(ApiVersion.parseInstant("2026-12-31")).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        assertThat(ApiVersion.parseInstant(" 2026-12-31T12:30:00Z ")).isEqualTo(Instant.parse("2026-12-31T12:30:00Z"));
        assertThat(ApiVersion.parseInstant("2026-12-31T09:00:00+09:00")).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
        for (String bad : new String[] {"31.12.2026", "2026-13-01", "2026-12-31T00:00:00", "tomorrow", "", "2026-02-30"}) {
            assertThatThrownBy(() -> ApiVersion.parseInstant(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected: an ISO-8601 date");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/guide", "javascript:alert(1)", "guide.html", "//evil.example/x",
            "https://exa mple.com", "https://example.com/a\"b", "https://example.com/<x>", "mailto:a@b.c", "https:///nohost"})
    void migrationGuideMustBeASafeLink(String link) {
        assertThatThrownBy(() -> ApiVersion.builder("v1").migrationGuide(link)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("API version v1: migration guide");
    }

    @Test
    void migrationGuideMayBeAPathOnTheService() {
        assertThat(ApiVersion.builder("v1").migrationGuide("/docs/migrations/v1-to-v2").build().migrationGuide())
                .hasToString("/docs/migrations/v1-to-v2");
    }

    @Test
    void configurationOverridesDeclarationsFieldByField() {
        ApiVersion declared = v1();
        ApiVersion configured = ApiVersion.builder("v1").sunset(Instant.parse("2027-06-01T00:00:00Z")).build();
        ApiVersion merged = configured.overriding(declared);
        assertThat(merged.sunset()).isEqualTo(Instant.parse("2027-06-01T00:00:00Z"));
        assertThat(merged.deprecation()).isEqualTo(DEPRECATION);
        assertThat(merged.successor()).isEqualTo("v2");
        assertThat(merged.migrationGuide()).isEqualTo(declared.migrationGuide());
    }

    @Test
    void anEmergencySunsetBeforeTheDeclaredDeprecationWins() {
        // AEGIS_VERSIONS_V1_SUNSET=2020-01-01: before the deprecation (and release) declared in code.
        ApiVersion merged = ApiVersion.builder("v1").sunset(Instant.parse("2020-01-01T00:00:00Z")).build().overriding(v1());
        assertThat(merged.sunset()).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
        assertThat(merged.deprecation()).isNull();
        assertThat(merged.release()).isNull();
        assertThat(merged.status(Instant.parse("2026-01-01T00:00:00Z"))).isEqualTo(VersionStatus.SUNSET);
        assertThat(merged.successor()).isEqualTo("v2");
    }

    @Test
    void aConfiguredDeprecationAfterTheDeclaredSunsetWins() {
        ApiVersion merged = ApiVersion.builder("v1").deprecation(Instant.parse("2028-01-01T00:00:00Z")).build().overriding(v1());
        assertThat(merged.deprecation()).isEqualTo(Instant.parse("2028-01-01T00:00:00Z"));
        assertThat(merged.sunset()).isNull();
    }

    @Test
    void datesContradictingWithinOneDeclarationStillFail() {
        ApiVersion bad = ApiVersion.builder("v1").build();
        assertThatThrownBy(() -> ApiVersion.builder("v1").deprecation(SUNSET).sunset(DEPRECATION).build().overriding(bad))
                .hasMessageContaining("expected: sunset after deprecation");
    }

    @Test
    void declarationsOfOneVersionMustAgree() {
        ApiVersion a = ApiVersion.builder("v1").sunset(SUNSET).build();
        ApiVersion b = ApiVersion.builder("v1").successor("v2").build();
        assertThat(a.combine(b)).isEqualTo(ApiVersion.builder("v1").sunset(SUNSET).successor("v2").build());
        ApiVersion c = ApiVersion.builder("v1").sunset(DEPRECATION).build();
        assertThatThrownBy(() -> a.combine(c)).hasMessage("API version v1 is declared twice with different sunset: "
                + SUNSET + " and " + DEPRECATION + " (expected: one value)");
    }
}
