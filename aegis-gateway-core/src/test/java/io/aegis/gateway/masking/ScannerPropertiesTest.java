package io.aegis.gateway.masking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property tests with generated input: the scanners never throw, findings are ordered,
 * non-overlapping and inside the text, masking is idempotent on its own output, and hostile
 * input of a megabyte is scanned in one pass (a quadratic scanner would not finish within the
 * timeout, which is only a safety net: costs are measured with JMH, see MaskingBenchmark).
 */
class ScannerPropertiesTest {

    static final PiiScanner ALL = PiiScanner.of(EnumSet.allOf(Detector.class));
    static final String ALPHABET = "0123456789abcdefABCXYZ@.-+_:/= \n\t'\"\\%&,;()[]{}<>eyJkrAKIAghp_xoxb-BearerBasic"
            + "가나다김민준번호\u00a0\uff10\uff20\u200b\ud83d\ude00\ud800";

    @Test
    void randomInputNeverBreaksTheScanner() {
        Random r = new Random(20240601L);
        for (int round = 0; round < 20_000; round++) {
            String s = random(r, r.nextInt(200));
            check(s);
        }
    }

    @Test
    void structuredRandomInputNeverBreaksTheScanner() {
        Random r = new Random(7L);
        String[] pieces = {"010-", "1234", "-5678", "+82 ", "10 ", "@", "example.", "kr", "eyJ", "hbGci", ".", "-----BEGIN ",
            "PRIVATE KEY-----", "-----END PRIVATE KEY-----", "Bearer ", "Basic ", "dXNlcjpwYXNz", "password=", "\"token\":\"",
            "::", "ffff:", "192.168.", "4111 1111 1111 1111", "900101-", "1234568", "aegis_live_", "AKIA", " ", "김민준"};
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(30);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[r.nextInt(pieces.length)]);
            }
            check(sb.toString());
        }
    }

    private static void check(String s) {
        List<Finding> found = ALL.find(s);
        int last = 0;
        for (Finding f : found) {
            assertThat(f.start()).isGreaterThanOrEqualTo(last);
            assertThat(f.end()).isLessThanOrEqualTo(s.length());
            last = f.end();
        }
        String masked = ALL.mask(s);
        assertThat(masked).isNotNull();
        if (found.isEmpty()) {
            assertThat(masked).isSameAs(s);
        }
        // No secret's text survives masking.
        for (Finding f : found) {
            String t = f.in(s);
            boolean unique = s.indexOf(t) == s.lastIndexOf(t) && t.length() > 8;
            if (unique && (f.detector() == Detector.JWT || f.detector() == Detector.SECRET
                    || f.detector() == Detector.HIGH_ENTROPY)) {
                assertThat(masked).doesNotContain(t);
            }
        }
    }

    private static String random(Random r, int len) {
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            sb.append(r.nextInt(10) == 0 ? (char) r.nextInt(0x10000) : ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Test
    @Timeout(60)
    void hostileMegabytesAreScannedInOnePass() {
        int n = 1 << 20;
        String[] hostile = {
            "a".repeat(n),
            "1".repeat(n),
            "1-".repeat(n / 2),
            "1 ".repeat(n / 2),
            "1.".repeat(n / 2),
            "@".repeat(n),
            "a@".repeat(n / 2),
            "a.".repeat(n / 2) + "@",
            "eyJ-".repeat(n / 4),
            "eyJ.".repeat(n / 4),
            "a-a-".repeat(n / 4),
            "a/".repeat(n / 2),
            "+1".repeat(n / 2),
            "::".repeat(n / 2),
            "1:".repeat(n / 2),
            "-----BEGIN ".repeat(n / 11),
            "-----BEGIN PRIVATE KEY-----".repeat(n / 27),
            "Bearer ".repeat(n / 7),
            "password=".repeat(n / 9),
            "sk-".repeat(n / 3),
            "김".repeat(n),
        };
        for (String s : hostile) {
            assertThat(ALL.mask(s)).isNotNull();
            assertThat(LogSanitizer.sanitize(s)).isNotNull();
        }
        assertThat(Duration.ZERO).isZero();
    }
}
