package io.aegis.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.apikey.ApiKeyFormat.Environment;
import io.aegis.gateway.apikey.ApiKeyFormat.Failure;
import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The key format is a parser of hostile input: table-driven and property-style checks. */
class ApiKeyFormatTest {

    static final String KEY = ApiKeyFormat.generate(Environment.LIVE, new SecureRandom(new byte[] {1}));

    @Test
    void generatedKeysHaveTheDocumentedShape() {
        for (int i = 0; i < 1000; i++) {
            for (Environment e : Environment.values()) {
                String k = ApiKeyFormat.generate(e);
                assertThat(k).hasSize(ApiKeyFormat.LENGTH).startsWith(e.prefix()).matches("aegis_(live|test)_[0-9A-Za-z]{38}");
                ApiKeyFormat.Parsed p = ApiKeyFormat.parse(k);
                assertThat(p.ok()).as(k).isTrue();
                assertThat(p.environment()).isEqualTo(e);
                assertThat(p.key()).isEqualTo(k);
            }
        }
    }

    @Test
    void keysAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ApiKeyFormat.generate(Environment.TEST))).isTrue();
        }
    }

    @Test
    void everySingleCharacterTypoIsCaught() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        int bodyStart = Environment.LIVE.prefix().length();
        for (int i = bodyStart; i < KEY.length(); i++) {
            for (char c : alphabet.toCharArray()) {
                if (c == KEY.charAt(i)) {
                    continue;
                }
                String typo = KEY.substring(0, i) + c + KEY.substring(i + 1);
                assertThat(ApiKeyFormat.parse(typo).failure()).as(typo).isEqualTo(Failure.BAD_CHECKSUM);
            }
        }
    }

    @Test
    void swappedNeighboursAreCaught() {
        int bodyStart = Environment.LIVE.prefix().length();
        for (int i = bodyStart; i < KEY.length() - 1; i++) {
            if (KEY.charAt(i) == KEY.charAt(i + 1)) {
                continue;
            }
            String swapped = KEY.substring(0, i) + KEY.charAt(i + 1) + KEY.charAt(i) + KEY.substring(i + 2);
            assertThat(ApiKeyFormat.parse(swapped).ok()).as(swapped).isFalse();
        }
    }

    static Stream<Arguments> hostile() {
        String body = KEY.substring(Environment.LIVE.prefix().length());
        return Stream.of(
                Arguments.of("", Failure.MALFORMED),
                Arguments.of("   ", Failure.MALFORMED),
                Arguments.of("x".repeat(257), Failure.TOO_LONG),
                Arguments.of(KEY + "x".repeat(300), Failure.TOO_LONG),
                Arguments.of(KEY + "0", Failure.MALFORMED),
                Arguments.of(KEY.substring(0, KEY.length() - 1), Failure.MALFORMED),
                Arguments.of("aegis_prod_" + body, Failure.WRONG_PREFIX),
                Arguments.of("AEGIS_LIVE_" + body, Failure.WRONG_PREFIX),
                Arguments.of("ghp_" + body, Failure.WRONG_PREFIX),
                Arguments.of("sk_live_" + body, Failure.WRONG_PREFIX),
                Arguments.of("eyJhbGciOiJIUzI1NiJ9.e30.x", Failure.MALFORMED),
                // Unicode look-alikes: Cyrillic a (U+0430), fullwidth digits, Greek omicron.
                Arguments.of(KEY.replaceFirst("a", "\u0430"), Failure.MALFORMED),
                Arguments.of(KEY.substring(0, 20) + "\uFF10" + KEY.substring(21), Failure.MALFORMED),
                Arguments.of(KEY.substring(0, 30) + "\u03BF" + KEY.substring(31), Failure.MALFORMED),
                // Whitespace and controls inside, zero-width characters, NUL, CR/LF injection.
                Arguments.of(KEY.substring(0, 20) + " " + KEY.substring(20), Failure.MALFORMED),
                Arguments.of(KEY.substring(0, 20) + "\u200B" + KEY.substring(20), Failure.MALFORMED),
                Arguments.of(KEY + "\u0000", Failure.MALFORMED),
                Arguments.of(KEY + "\r\nX-Admin: 1", Failure.MALFORMED),
                Arguments.of("\u00A0" + KEY, Failure.MALFORMED),
                // Encoded twice, or percent-encoded.
                Arguments.of(KEY.replace("_", "%5F"), Failure.MALFORMED),
                Arguments.of(java.util.Base64.getEncoder().encodeToString(KEY.getBytes()), Failure.MALFORMED),
                Arguments.of("Bearer " + KEY, Failure.MALFORMED),
                // Underscores where the body is.
                Arguments.of(KEY.substring(0, 25) + "_" + KEY.substring(26), Failure.MALFORMED),
                Arguments.of("aegis_live_", Failure.MALFORMED));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileInputIsRefusedWithTheRightReason(String input, Failure expected) {
        ApiKeyFormat.Parsed p = ApiKeyFormat.parse(input);
        assertThat(p.ok()).isFalse();
        assertThat(p.failure()).isEqualTo(expected);
        assertThat(p.key()).isNull();
        assertThat(p.failure().description()).doesNotContain(KEY.substring(12, 20));
    }

    @Test
    void surroundingSpacesAndTabsAreTrimmedAsHttpAllows() {
        assertThat(ApiKeyFormat.parse("  " + KEY + "\t").key()).isEqualTo(KEY);
        assertThat(ApiKeyFormat.parse(null).failure()).isEqualTo(Failure.MALFORMED);
    }

    @Test
    void randomGarbageNeverParses() {
        SecureRandom r = new SecureRandom(new byte[] {7});
        for (int i = 0; i < 20_000; i++) {
            char[] c = new char[r.nextInt(80)];
            for (int j = 0; j < c.length; j++) {
                c[j] = (char) r.nextInt(0x3000);
            }
            String s = new String(c);
            ApiKeyFormat.Parsed p = ApiKeyFormat.parse(s);
            assertThat(p.ok()).isFalse();
        }
    }

    @Test
    void hintShowsPrefixAndLastFour() {
        assertThat(ApiKeyFormat.hint(KEY)).isEqualTo("aegis_live_…" + KEY.substring(KEY.length() - 4));
        assertThat(ApiKeyFormat.parse(KEY).toString()).doesNotContain(KEY);
    }
}
