package io.aegis.gateway.versioning.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

    static final String TYPE = "application/vnd.aegis+json";

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {
        "application/vnd.aegis+json; version=2 | 2",
        "application/vnd.aegis+json;version=v2 | v2",
        "Application/VND.Aegis+JSON; Version=2 | 2",
        "application/vnd.aegis+json; charset=utf-8; version=\"2\" | 2",
        "application/vnd.aegis+json; version=\"v\\2\" | v2",
        "application/json, application/vnd.aegis+json; q=0.9; version=3 | 3",
        "text/plain; version=9, application/vnd.aegis+json; version=2 | 2",
        "text/plain; note=\"a, b; version=9\", application/vnd.aegis+json; version=2 | 2",
        "application/vnd.aegis+json; version=2, application/vnd.aegis+json; version=3 | 2",
        "application/vnd.aegis+json | null",
        "application/vnd.aegis+json; version | null",
        "application/vnd.aegis+jsonx; version=2 | null",
        "application/json; version=2 | null",
        "*/*; version=2 | null",
        "application/vnd.aegis+json; version=\"2 | 2",
        "application/vnd.aegis+json; version= | ''",
        "'' | null",
        ", ;, ;; = | null",
    }, delimiter = '|', nullValues = "null")
    void findsTheVersionParameterOfTheVersionedType(String value, String expected) {
        assertThat(MediaTypes.versionParameter(value, TYPE)).isEqualTo(expected);
    }

    @Test
    void readsLongHeadersOnlySoFar() {
        String padding = "text/plain, ".repeat(1000);
        assertThat(MediaTypes.versionParameter(padding + TYPE + "; version=2", TYPE)).isNull();
        assertThat(MediaTypes.versionParameter(TYPE + "; version=2, " + padding, TYPE)).isEqualTo("2");
        assertThat(MediaTypes.versionParameter(null, TYPE)).isNull();
    }
}
