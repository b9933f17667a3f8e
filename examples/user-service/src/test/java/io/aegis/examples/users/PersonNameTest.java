package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PersonNameTest {

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(value = {
        "Ada Lovelace | Ada | Lovelace | Ada Lovelace",
        "Mary Ann Evans | Mary Ann | Evans | Mary Ann Evans",
        "Seán O'Brien | Seán | O'Brien | Seán O'Brien",
        "'  José   Álvarez  ' | José | Álvarez | José Álvarez",
        "김민준 | 민준 | 김 | 김민준",
        "남궁민수 | 민수 | 남궁 | 남궁민수",
        "황보관 | 관 | 황보 | 황보관",
        "남궁 | 궁 | 남 | 남궁",
        "김 | 김 | null | 김",
        "Madonna | Madonna | null | Madonna",
        "Kim 민준 | Kim | 민준 | Kim 민준",
    }, delimiter = '|', nullValues = "null")
    void splitsAndJoinsNames(String display, String given, String family, String joined) {
        PersonName n = PersonName.of(display);
        assertThat(n.givenName()).isEqualTo(given);
        assertThat(n.familyName()).isEqualTo(family);
        assertThat(n.displayName()).isEqualTo(joined);
        assertThat(PersonName.of(n.displayName())).isEqualTo(n);
    }
}
