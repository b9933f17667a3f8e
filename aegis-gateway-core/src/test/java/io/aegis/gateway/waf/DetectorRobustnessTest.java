package io.aegis.gateway.waf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.aegis.gateway.waf.internal.Normalizer;
import io.aegis.gateway.waf.internal.SqlLexer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile input for the normalizer and every tokenizer: random strings from a seeded generator
 * (biased towards the characters the scanners react to), truncated escapes, deep nesting, huge
 * values. They must never throw, and their cost must grow linearly with the input: each
 * adversarial pattern is measured at two sizes 16 times apart, and the larger may cost at most 64
 * times the smaller (a quadratic scan would cost about 256 times). Thread CPU time, best of five,
 * so that other load on the machine does not count.
 */
class DetectorRobustnessTest {

    static final String ALPHABET = "'\"`<>()[]{};|&$=!-+*/\\%#@:.,? \t\n\r\u0000aeOoRrSsUu019xXcC&#;%uU\u00a0\uff07\uff1c\u3000\u200b가";

    static String random(Random r, int max) {
        int n = r.nextInt(max + 1);
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int k = r.nextInt(10);
            if (k < 7) {
                b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
            } else if (k < 9) {
                b.append(List.of("%27", "%25", "&#x3c", "&lt", "\\u00", "/*", "*/", "--", "union", "select", "<script",
                        "on", "=", "javascript:", "..", "%c0%ae", "$(", "${IFS}", ")(", "://", "0x", "or", "and").get(r.nextInt(23)));
            } else {
                b.append((char) r.nextInt(0x10000));
            }
        }
        return b.toString();
    }

    @Test
    void neverThrowsOnRandomInput() {
        Random r = new Random(20261126L);
        ThreatDetector[] levels = {ThreatDetector.of(1), ThreatDetector.of(2), ThreatDetector.of(3)};
        for (int i = 0; i < 30_000; i++) {
            String v = random(r, 120);
            for (ThreatDetector d : levels) {
                for (ThreatDetector.Target t : ThreatDetector.Target.values()) {
                    assertThatCode(() -> d.inspect(v, t, 0)).as("input #%d: %s", i, v).doesNotThrowAnyException();
                }
            }
            assertThatCode(() -> {
                Normalizer.normalize(v);
                Normalizer.percentDecode(v, true);
                SqlLexer.lex(v, '\'');
            }).doesNotThrowAnyException();
        }
    }

    @Test
    void truncatedAndMalformedEncodingsAreHarmless() {
        ThreatDetector d = ThreatDetector.of(3);
        for (String v : List.of("%", "%2", "%zz", "%u12", "%uzzzz", "&#", "&#x", "&#xffffffffffff;", "&#99999999999;",
                "\\u", "\\u{", "\\u{110000}", "\\x", "\\", "%c0", "%e0%80", "%f0%80%80", "%ff%fe", "&", "&lt", "/*", "/*!",
                "'", "\"", "`", "<", "<a", "<a x=\"", "<a x='", "{{", "$(", "${", "\ud800", "\udc00x", "\u0000")) {
            assertThatCode(() -> d.inspect(v)).as(v).doesNotThrowAnyException();
            assertThatCode(() -> Normalizer.normalize(v)).as(v).doesNotThrowAnyException();
        }
        assertThat(Normalizer.normalize("%2527")).isEqualTo("'");
        assertThat(Normalizer.normalize("%c0%ae%c0%ae%c0%af")).isEqualTo("../");
        assertThat(Normalizer.normalize("&#x3c;&#60&lt;&LT;")).isEqualTo("<<<<");
        assertThat(Normalizer.normalize("\uff1cscript\uff1e")).isEqualTo("<script>");
        assertThat(Normalizer.normalize("a\u200bb\u00a0c")).isEqualTo("ab c");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<a ", "'", "\"", "((", "/*", "%25", "&#", "{{", "$(", "../", "`", " on", "<a x=\"", ")(",
            "' or ", "union select ", "a;", "javascript:", "%c0%ae", "\\u00", "--", "1 or 1=1 ", "<svg/", "..\\"})
    void costGrowsLinearly(String unit) {
        ThreatDetector d = ThreatDetector.of(3);
        String small = unit.repeat(256);
        String large = unit.repeat(256 * 16);
        long tSmall = cpu(d, small);
        long tLarge = cpu(d, large);
        assertThat(tLarge).as("%s x256: %d ns, x4096: %d ns", unit, tSmall, tLarge)
                .isLessThanOrEqualTo(Math.max(tSmall, 20_000) * 64);
    }

    /** Level 1 has shapes of its own (markdown code spans, multi-line text, prose around a quote). */
    @ParameterizedTest
    @ValueSource(strings = {"` ", "` a", "a\n", "#\n", "-- x\n", "(select ", "' and 1=1 ", "1) as x where ", "'-",
            "`a` ", "x'||", "(1=1)*", "\" -- a b ", "+adw-", "<a style=\"/*", "<p ng-x=\"", "/**/", "../ a "})
    void costGrowsLinearlyAtLevelOne(String unit) {
        ThreatDetector d = ThreatDetector.of(1);
        String small = unit.repeat(256);
        String large = unit.repeat(256 * 16);
        long tSmall = cpu(d, small);
        long tLarge = cpu(d, large);
        assertThat(tLarge).as("%s x256: %d ns, x4096: %d ns", unit, tSmall, tLarge)
                .isLessThanOrEqualTo(Math.max(tSmall, 20_000) * 64);
    }

    static long cpu(ThreatDetector d, String v) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20; i++) { // warm up
            d.inspect(v, ThreatDetector.Target.PARAMETER, 0);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < 5; k++) {
                d.inspect(v, ThreatDetector.Target.PARAMETER, 0);
            }
            best = Math.min(best, mx.getCurrentThreadCpuTime() - t0);
        }
        return best;
    }
}
