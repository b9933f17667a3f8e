package io.aegis.gateway.waf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * SQL words that need no special character around them ({@code union}, {@code waitfor}, system
 * catalogs) count where SQL would read them as keywords: at the start of a word, even glued to a
 * digit or a comment, never inside a longer word.
 */
class SqlKeywordBoundaryTest {

    private final ThreatDetector pl1 = ThreatDetector.of(1);

    @Test
    void keywordsGluedToDigitsSymbolsAndCommentsAreFound() {
        String[] attacks = {
            "1union select 1,2", "1 union select password from users", "-1 UnIoN SeLeCt 1,2,3", "1/**/union/**/select/**/1",
            "0)union(select 1,2)", "1;waitfor delay '0:0:5'--", "1 waitfor delay '0:0:5'",
            "1 and 1=(select count(*) from information_schema.tables)", "1 and (select 1 from sysobjects)=1",
            "x' union select 1--", "1'||pg_sleep(5)||'",
        };
        for (String a : attacks) {
            assertThat(pl1.inspect(a)).as(a).isNotNull();
        }
    }

    @Test
    void theSameLettersInsideWordsAreProse() {
        String[] benign = {
            "the family reunion is on Sunday", "a communion of saints", "reunions and disunions",
            "we await formal approval", "the systems outfitted in June", "Pinformation about the sysadmin",
            "trade union members met at 5", "The union of two sets is a set",
        };
        for (String b : benign) {
            assertThat(pl1.inspect(b)).as(b).isNull();
        }
    }
}
