package io.aegis.gateway.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detection and false-positive rates over our own corpora (test resources {@code waf/*.txt}, one
 * value a line), per paranoia level. Fails when a rate falls below the targets of the issue:
 * at level 1, at least 95% of SQL injection and XSS detected and at most 0.5% of benign values
 * flagged. The rates are printed for the record.
 */
class CorpusTest {

    static List<String> corpus(String name) throws IOException {
        try (InputStream in = CorpusTest.class.getResourceAsStream("/waf/" + name)) {
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n", -1)) {
                if (!line.isEmpty()) {
                    out.add(line);
                }
            }
            return out;
        }
    }

    static double rate(ThreatDetector d, List<String> values, List<String> misses) {
        int hit = 0;
        for (String v : values) {
            Detection x = d.inspect(v);
            if (x != null) { // any detection blocks the request
                hit++;
            } else {
                misses.add(v);
            }
        }
        return 100.0 * hit / values.size();
    }

    @Test
    void levelOneMeetsTheTargets() throws IOException {
        ThreatDetector pl1 = ThreatDetector.of(1);
        List<String> missedSql = new ArrayList<>();
        List<String> missedXss = new ArrayList<>();
        List<String> flaggedBenign = new ArrayList<>();
        double sql = rate(pl1, corpus("sqli.txt"), missedSql);
        double xss = rate(pl1, corpus("xss.txt"), missedXss);
        List<String> benign = corpus("benign.txt");
        for (String v : benign) {
            Detection d = pl1.inspect(v);
            if (d != null) {
                flaggedBenign.add(d.rule() + " <- " + v);
            }
        }
        double fp = 100.0 * flaggedBenign.size() / benign.size();
        System.out.printf("PL1: SQLi %.1f%% (%d values), XSS %.1f%%, false positives %.2f%% of %d%n", sql,
                corpus("sqli.txt").size(), xss, fp, benign.size());
        System.out.println("missed SQLi: " + missedSql);
        System.out.println("missed XSS: " + missedXss);
        System.out.println("benign flagged: " + flaggedBenign);
        for (String other : List.of("traversal.txt", "cmdi.txt", "ldap.txt", "ssrf.txt")) {
            List<String> missed = new ArrayList<>();
            double r = rate(pl1, corpus(other), missed);
            System.out.printf("PL1: %s %.1f%%, missed %s%n", other, r, missed);
            assertThat(r).as("%s at PL1, missed: %s", other, missed).isGreaterThanOrEqualTo(90.0);
        }
        assertThat(sql).as("SQLi detected at PL1, missed: %s", missedSql).isGreaterThanOrEqualTo(95.0);
        assertThat(xss).as("XSS detected at PL1, missed: %s", missedXss).isGreaterThanOrEqualTo(95.0);
        assertThat(fp).as("benign flagged at PL1: %s", flaggedBenign).isLessThanOrEqualTo(0.5);
    }

    @Test
    void higherLevelsDetectAtLeastAsMuch() throws IOException {
        for (String name : List.of("sqli.txt", "xss.txt", "traversal.txt", "cmdi.txt", "ldap.txt", "ssrf.txt")) {
            double previous = 0;
            for (int level = 1; level <= 3; level++) {
                double r = rate(ThreatDetector.of(level), corpus(name), new ArrayList<>());
                assertThat(r).as("%s at PL%d", name, level).isGreaterThanOrEqualTo(previous);
                previous = r;
            }
        }
        for (int level = 2; level <= 3; level++) {
            int flagged = 0;
            List<String> benign = corpus("benign.txt");
            for (String v : benign) {
                if (ThreatDetector.of(level).inspect(v) != null) {
                    flagged++;
                }
            }
            System.out.printf("PL%d: benign flagged %.2f%%%n", level, 100.0 * flagged / benign.size());
        }
    }
}
