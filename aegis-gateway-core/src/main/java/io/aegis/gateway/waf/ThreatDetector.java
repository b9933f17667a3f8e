package io.aegis.gateway.waf;

import io.aegis.gateway.waf.internal.CommandInjection;
import io.aegis.gateway.waf.internal.LdapInjection;
import io.aegis.gateway.waf.internal.Normalizer;
import io.aegis.gateway.waf.internal.SqlInjection;
import io.aegis.gateway.waf.internal.SqlLexer;
import io.aegis.gateway.waf.internal.Ssrf;
import io.aegis.gateway.waf.internal.Traversal;
import io.aegis.gateway.waf.internal.Xss;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Inspects one value (a query parameter, a JSON string, a path segment, a header) for attacks.
 *
 * <p>A value is first screened: a single pass classifies its characters, and only the detectors
 * whose trigger characters are present run (an SQL injection needs a quote, an operator, a
 * parenthesis, a comment or a numeric start; XSS needs {@code <}, a quote, a colon or braces; and
 * so on), so ordinary text costs one scan. Values that need it are then normalized (bounded
 * repeated percent-decoding, HTML references, escapes, NFKC, control characters) and handed to the
 * detectors: an SQL lexer with token shapes, an HTML/JS scanner, path canonicalization, shell
 * grammar, LDAP filters, URL analysis. Every step is linear in the value's length, bounded, and
 * never throws.
 *
 * <p>Paranoia level 1 (the default) reports high-confidence shapes only; 2 and 3 add more
 * suspicious ones at the price of false positives (as the OWASP Core Rule Set levels do).
 *
 * <p>Immutable and thread-safe.
 */
public final class ThreatDetector {

    /** Where a value comes from; rules differ slightly by place. */
    public enum Target {
        /** A query, form or multipart parameter value, or a JSON string. */
        PARAMETER,
        /** A parameter or JSON field name. */
        NAME,
        /** The request path (raw, as sent). */
        PATH,
        /** A header value. */
        HEADER,
        /** A cookie value. */
        COOKIE
    }

    /** Values longer than this are inspected in their first {@value} characters only. */
    public static final int MAX_VALUE_LENGTH = 64 * 1024;

    private static final int QUOTE = 1;
    private static final int LT = 1 << 1;
    private static final int PAREN = 1 << 2;
    private static final int SEMI = 1 << 3;
    private static final int OPERATOR = 1 << 4;
    private static final int PIPE_AMP = 1 << 5;
    private static final int HASH = 1 << 6;
    private static final int DASH = 1 << 7;
    private static final int SLASH = 1 << 8;
    private static final int DOT = 1 << 9;
    private static final int COLON = 1 << 10;
    private static final int BACKTICK_DOLLAR = 1 << 11;
    private static final int BRACE = 1 << 12;
    private static final int STAR = 1 << 13;
    private static final int AT = 1 << 14;
    private static final int SPACE = 1 << 15;
    private static final int ENCODED = 1 << 16;
    private static final int NEWLINE = 1 << 17;
    private static final int BACKSLASH = 1 << 18;
    private static final int[] CLASS = new int[128];

    static {
        CLASS['\''] = QUOTE;
        CLASS['"'] = QUOTE;
        CLASS['<'] = LT | OPERATOR;
        CLASS['>'] = OPERATOR;
        CLASS['='] = OPERATOR;
        CLASS['!'] = OPERATOR;
        CLASS['^'] = OPERATOR;
        CLASS['~'] = OPERATOR;
        CLASS['('] = PAREN;
        CLASS[')'] = PAREN;
        CLASS[';'] = SEMI;
        CLASS['|'] = PIPE_AMP;
        CLASS['&'] = PIPE_AMP | ENCODED;
        CLASS['#'] = HASH;
        CLASS['-'] = DASH;
        CLASS['/'] = SLASH;
        CLASS['\\'] = BACKSLASH | ENCODED;
        CLASS['.'] = DOT;
        CLASS[':'] = COLON;
        CLASS['`'] = BACKTICK_DOLLAR | QUOTE;
        CLASS['$'] = BACKTICK_DOLLAR;
        CLASS['{'] = BRACE;
        CLASS['}'] = BRACE;
        CLASS['*'] = STAR;
        CLASS['@'] = AT;
        CLASS[' '] = SPACE;
        CLASS['\t'] = SPACE;
        CLASS['\n'] = NEWLINE | SPACE;
        CLASS['\r'] = NEWLINE | SPACE;
        CLASS['%'] = ENCODED;
        CLASS['+'] = OPERATOR;
        for (int c = 0; c < 0x20; c++) {
            CLASS[c] |= ENCODED;
        }
        CLASS[0x7f] = ENCODED;
    }

    private final int paranoia;
    private final Set<AttackType> enabled;
    private final boolean sqli;
    private final boolean xss;
    private final boolean traversal;
    private final boolean cmdi;
    private final boolean ldapi;
    private final boolean ssrf;

    private ThreatDetector(int paranoia, Set<AttackType> enabled) {
        if (paranoia < 1 || paranoia > 3) {
            throw new IllegalArgumentException("paranoiaLevel: " + paranoia + " (expected: 1..3)");
        }
        this.paranoia = paranoia;
        this.enabled = enabled.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(enabled));
        this.sqli = enabled.contains(AttackType.SQL_INJECTION);
        this.xss = enabled.contains(AttackType.XSS);
        this.traversal = enabled.contains(AttackType.PATH_TRAVERSAL);
        this.cmdi = enabled.contains(AttackType.COMMAND_INJECTION);
        this.ldapi = enabled.contains(AttackType.LDAP_INJECTION);
        this.ssrf = enabled.contains(AttackType.SSRF);
    }

    /**
     * A detector for every attack type at a paranoia level.
     *
     * @throws IllegalArgumentException when the level is not 1, 2 or 3
     */
    public static ThreatDetector of(int paranoiaLevel) {
        return new ThreatDetector(paranoiaLevel, EnumSet.allOf(AttackType.class));
    }

    /**
     * A detector for some attack types.
     *
     * @throws IllegalArgumentException when the level is not 1, 2 or 3
     */
    public static ThreatDetector of(int paranoiaLevel, Set<AttackType> types) {
        return new ThreatDetector(paranoiaLevel, Objects.requireNonNull(types, "types"));
    }

    public int paranoiaLevel() {
        return paranoia;
    }

    public Set<AttackType> attackTypes() {
        return enabled;
    }

    /** Inspects a parameter value. */
    public Detection inspect(String value) {
        return inspect(value, Target.PARAMETER, 0);
    }

    /**
     * Inspects a value found at {@code target}.
     *
     * @param skip attack types not to look for here (bits of {@link AttackType#ordinal()}), for exclusions
     * @return the first detection, without location, or {@code null} when the value is clean
     */
    public Detection inspect(String value, Target target, int skip) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String raw = value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value;
        int mask = classify(raw);
        if ((mask & ~(SPACE | DASH | AT)) == 0 && !mayHideSql(raw, mask)) {
            return null; // plain words, numbers, e-mail-like text: nothing any detector needs
        }
        String norm = raw;
        if ((mask & ENCODED) != 0) {
            norm = Normalizer.normalize(raw);
            mask = classify(norm) | mask & ENCODED;
        }
        String lower = null;
        if (traversal && (skip & bit(AttackType.PATH_TRAVERSAL)) == 0 && (mask & (DOT | SLASH | BACKSLASH)) != 0) {
            boolean encoded = (mask & ENCODED) != 0 && raw.indexOf('%') >= 0 && norm.contains("..") && encodedDots(raw);
            String r = Traversal.detect(norm, encoded, target == Target.PATH, paranoia);
            if (r != null) {
                return new Detection(AttackType.PATH_TRAVERSAL, r, null);
            }
        }
        if (sqli && (skip & bit(AttackType.SQL_INJECTION)) == 0 && sqlCandidate(norm, mask)) {
            String r = SqlInjection.detect(norm, paranoia, paranoia >= 2 || sqlAsIs(norm, mask));
            if (r != null) {
                return new Detection(AttackType.SQL_INJECTION, r, null);
            }
        }
        if (xss && (skip & bit(AttackType.XSS)) == 0 && ((mask & (LT | QUOTE | COLON | BRACE)) != 0
                || (mask & PAREN) != 0 && callOf(norm, "expression")
                || (mask & DASH) != 0 && indexOfIgnoreCase(norm, "-moz-") >= 0 || paranoia >= 2 && (mask & PAREN) != 0
                || (mask & OPERATOR) != 0 && indexOfIgnoreCase(norm, "+adw-") >= 0)) {
            lower = lower(norm);
            String r = Xss.detect(lower, paranoia);
            if (r != null) {
                return new Detection(AttackType.XSS, r, null);
            }
        }
        if (cmdi && (skip & bit(AttackType.COMMAND_INJECTION)) == 0
                && ((mask & (SEMI | PIPE_AMP | BACKTICK_DOLLAR | NEWLINE)) != 0 || (mask & (PAREN | BRACE)) == (PAREN | BRACE))) {
            if (lower == null) {
                lower = lower(norm);
            }
            String r = CommandInjection.detect(lower, paranoia);
            if (r != null) {
                return new Detection(AttackType.COMMAND_INJECTION, r, null);
            }
        }
        if (ldapi && (skip & bit(AttackType.LDAP_INJECTION)) == 0 && (mask & PAREN) != 0 && target != Target.HEADER
                && (norm.indexOf(")(") >= 0 || norm.indexOf("*)") >= 0 || norm.indexOf("(|") >= 0
                || norm.indexOf("(&") >= 0 || norm.indexOf("(!") >= 0 || norm.indexOf(") (") >= 0)) {
            if (lower == null) {
                lower = lower(norm);
            }
            String r = LdapInjection.detect(lower, paranoia);
            if (r != null) {
                return new Detection(AttackType.LDAP_INJECTION, r, null);
            }
        }
        if (ssrf && (skip & bit(AttackType.SSRF)) == 0 && (mask & COLON) != 0
                && (target == Target.PARAMETER || target == Target.COOKIE)) {
            if (lower == null) {
                lower = lower(norm);
            }
            String r = Ssrf.detect(lower, paranoia);
            if (r != null) {
                return new Detection(AttackType.SSRF, r, null);
            }
        }
        return null;
    }

    /**
     * Whether any SQL shape of this level could match. At level 1 that needs a quote (a string
     * context to break), a SQL-like start (a number, a parenthesis, {@code and}/{@code or}), a
     * semicolon, a variable, a comment, a dangerous call or {@code union}/{@code waitfor}; ordinary
     * prose with parentheses, ampersands or equals signs skips the lexer.
     */
    private boolean sqlCandidate(String norm, int mask) {
        if (paranoia >= 2) {
            return (mask & (QUOTE | PAREN | SEMI | OPERATOR | PIPE_AMP | HASH | AT | STAR | SLASH)) != 0
                    || (mask & DASH) != 0 && norm.contains("--") || mayHideSql(norm, mask);
        }
        if ((mask & (QUOTE | SEMI | AT)) != 0 || (mask & STAR) != 0 && norm.contains("/*")) {
            return true;
        }
        if ((mask & (SPACE | PAREN | OPERATOR | PIPE_AMP | HASH | STAR)) != 0 && sqlStart(norm)) {
            return true; // a lone number, date or address is no statement
        }
        if ((mask & PAREN) != 0 && (SqlLexer.dangerousCall(norm) || subselect(norm))) {
            return true;
        }
        return (mask & SPACE) != 0 && (keywordHints(norm) & (KW_UNION | KW_WAITFOR | KW_SCHEMA)) != 0;
    }

    /**
     * Whether the as-is (numeric) context can match at level 1: a SQL-like start, or a shape that
     * counts anywhere (statement separator, variable, comment, {@code union}, dangerous call, catalog).
     * Text whose only trigger is an apostrophe is then lexed in the quote contexts alone.
     */
    private boolean sqlAsIs(String norm, int mask) {
        return (mask & (SEMI | AT)) != 0 || (mask & STAR) != 0 && norm.contains("/*") || sqlStart(norm)
                || (mask & PAREN) != 0 && (SqlLexer.dangerousCall(norm) || subselect(norm)) || keywordHints(norm) != 0;
    }

    /** Some {@code (} of the value opens a subquery: {@code (select}, spaces allowed. */
    private static boolean subselect(String s) {
        for (int p = s.indexOf('('); p >= 0; p = s.indexOf('(', p + 1)) {
            int k = p + 1;
            while (k < s.length() && (s.charAt(k) == ' ' || s.charAt(k) == '(' || s.charAt(k) == '\t' || s.charAt(k) == '\n')) {
                k++;
            }
            if (s.regionMatches(true, k, "select", 0, 6)) {
                return true;
            }
        }
        return false;
    }

    /** Starts like injected SQL: a number, a sign, a parenthesis, a logic operator. */
    private static boolean sqlStart(String s) {
        int i = 0;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n')) {
            i++;
        }
        if (i >= s.length()) {
            return false;
        }
        char c = s.charAt(i);
        if (c >= '0' && c <= '9' || c == '-' || c == '+' || c == '(' || c == ')' || c == '&' || c == '|' || c == '.') {
            return true;
        }
        // logic operators, and clauses made to be appended to a query (order by, group by, having, where, as)
        return switch ((char) (c | 0x20)) {
            case 'o' -> s.regionMatches(true, i, "or", 0, 2);
            case 'a' -> s.regionMatches(true, i, "and", 0, 3) || s.regionMatches(true, i, "as ", 0, 3);
            case 'x' -> s.regionMatches(true, i, "xor", 0, 3);
            case 'n' -> s.regionMatches(true, i, "not", 0, 3);
            case 'g' -> s.regionMatches(true, i, "group", 0, 5);
            case 'h' -> s.regionMatches(true, i, "having", 0, 6);
            case 'w' -> s.regionMatches(true, i, "where", 0, 5);
            default -> false;
        };
    }

    /** The skip bit of an attack type, for {@link #inspect(String, Target, int)}. */
    public static int bit(AttackType type) {
        return 1 << type.ordinal();
    }

    private static int classify(String s) {
        int mask = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            mask |= c < 128 ? CLASS[c] : plainLetter(c) ? 0 : ENCODED;
        }
        return mask;
    }

    /**
     * Non-ASCII characters that NFKC leaves alone and that are no ASCII look-alike: Latin, Greek,
     * Cyrillic, Hebrew, Arabic, Indic and Thai letters, Hangul, kana and CJK ideographs. Anything else
     * (full-width forms, exotic spaces, zero-width characters, symbols, surrogates) goes through
     * normalization first.
     */
    private static boolean plainLetter(char c) {
        return (PLAIN_LETTERS[c >>> 6] & 1L << c) != 0;
    }

    /** {@link #plainLetter} as one bit per BMP character (8 KiB). */
    private static final long[] PLAIN_LETTERS = new long[1024];

    static {
        int[][] ranges = {{0xC0, 0x24F}, {0x370, 0x52F}, {0x590, 0x6FF}, {0x900, 0xE7F}, {0x1100, 0x11FF},
            {0x3041, 0x30FF}, {0x3131, 0x318E}, {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}};
        for (int[] r : ranges) {
            for (int c = r[0]; c <= r[1]; c++) {
                PLAIN_LETTERS[c >>> 6] |= 1L << c;
            }
        }
        PLAIN_LETTERS[0xD7 >>> 6] &= ~(1L << 0xD7); // × and ÷ are symbols
        PLAIN_LETTERS[0xF7 >>> 6] &= ~(1L << 0xF7);
    }

    /**
     * SQL that needs no special character: a numeric start followed by words
     * ({@code 1 union select 1}), or {@code union}/{@code select} anywhere with spaces.
     */
    private static boolean mayHideSql(String s, int mask) {
        if ((mask & SPACE) == 0) {
            return false;
        }
        char c = s.charAt(0);
        if (c >= '0' && c <= '9') {
            return true;
        }
        if (sqlStart(s) && (s.indexOf("--") >= 0 || hasDigit(s))) {
            return true; // "or true--", " order by 3", "where 1 and 2"
        }
        return (keywordHints(s) & (KW_UNION | KW_WAITFOR | KW_SCHEMA)) != 0;
    }

    private static boolean hasDigit(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                return true;
            }
        }
        return false;
    }

    /** Whether some {@code (} of the value follows {@code word} (case-insensitive, spaces between allowed). */
    private static boolean callOf(String s, String word) {
        for (int p = s.indexOf('('); p >= 0; p = s.indexOf('(', p + 1)) {
            int e = p;
            while (e > 0 && s.charAt(e - 1) == ' ') {
                e--;
            }
            if (e >= word.length() && s.regionMatches(true, e - word.length(), word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    private static final int KW_UNION = 1;
    private static final int KW_WAITFOR = 2;
    private static final int KW_FILE = 4;
    private static final int KW_SCHEMA = 8;

    /**
     * SQL words that matter without special characters, found in one pass (bits KW_*). Only where a
     * word starts (after anything but a letter or {@code _}: {@code 1union}, {@code /**}{@code /union}
     * and {@code .sysobjects} count, {@code reunion} does not), which is where SQL reads a keyword.
     */
    private static int keywordHints(String s) {
        int bits = 0;
        int n = s.length();
        boolean inWord = false;
        for (int i = 0; i + 5 <= n; i++) {
            char raw = s.charAt(i);
            char c = (char) (raw | 0x20);
            boolean wordStart = !inWord;
            inWord = c >= 'a' && c <= 'z' || raw == '_';
            if (!wordStart || c < 'a' || c > 'w' || HINT_START[c - 'a'] == 0) {
                continue; // a hint is a word of its own (digits and symbols may touch it); most words start none
            }
            char d = (char) (s.charAt(i + 1) | 0x20);
            int second = d >= 'a' && d <= 'z' ? d - 'a' : d == '$' ? 26 : -1;
            if (second < 0 || (HINT_PAIRS[c - 'a'] & 1 << second) == 0) {
                continue; // nor do most pairs of letters: only the pairs the words below begin with go on
            }
            if (c == 'u' && d == 'n' && s.regionMatches(true, i, "union", 0, 5)) {
                bits |= KW_UNION;
            } else if (c == 'w' && d == 'a' && has(s, i, "waitfor")) {
                bits |= KW_WAITFOR;
            } else if (d == 'u' && (c == 'o' && has(s, i, "outfile") || c == 'd' && has(s, i, "dumpfile"))) {
                bits |= KW_FILE;
            } else if (c == 'i' && d == 'n' && has(s, i, "information_schema")
                    || c == 's' && (d == 'y' && (has(s, i, "sysobjects") || has(s, i, "syscolumns")) || d == 'q' && has(s, i, "sqlite_"))
                    || c == 'p' && (d == 'g' && s.charAt(i + 2) == '_' || d == 'r' && has(s, i, "program"))
                    || c == 'a' && (d == 'l' && (has(s, i, "all_tab") || has(s, i, "all_users")) || d == 't' && has(s, i, "attach"))
                    || c == 'v' && s.charAt(i + 1) == '$') {
                bits |= KW_SCHEMA; // system catalogs and statements that reach outside the database
            }
        }
        return bits;
    }

    /** The letters that start a keyword hint: a, d, i, o, p, s, u, v, w. */
    private static final byte[] HINT_START = new byte[26];

    /**
     * For each first letter, the second characters (bit {@code d - 'a'}, or 26 for {@code $}; folded
     * like the first) that begin a hint below: un, wa, ou, du, in, sy, sq, pg, pr, al, at, v$.
     */
    private static final int[] HINT_PAIRS = new int[26];

    static {
        for (char c : "adiopsuvw".toCharArray()) {
            HINT_START[c - 'a'] = 1;
        }
        for (String pair : new String[] {"un", "wa", "ou", "du", "in", "sy", "sq", "pg", "pr", "al", "at", "v$"}) {
            char second = pair.charAt(1);
            HINT_PAIRS[pair.charAt(0) - 'a'] |= 1 << (second == '$' ? 26 : second - 'a');
        }
    }

    /** {@code word} (lower case) at {@code i}, case-insensitively, whole. */
    private static boolean has(String s, int i, String word) {
        return i + word.length() <= s.length() && s.regionMatches(true, i, word, 0, word.length());
    }

    /** {@code word} (lower case, starting with a character that has no case) in {@code s}, ignoring case. */
    private static int indexOfIgnoreCase(String s, String word) {
        int last = s.length() - word.length();
        for (int i = s.indexOf(word.charAt(0)); i >= 0 && i <= last; i = s.indexOf(word.charAt(0), i + 1)) {
            if (s.regionMatches(true, i, word, 0, word.length())) {
                return i;
            }
        }
        return -1;
    }

    private static boolean encodedDots(String raw) {
        String r = raw.toLowerCase(Locale.ROOT);
        return r.contains("%2e") || r.contains("%2f") || r.contains("%5c") || r.contains("%c0") || r.contains("%c1")
                || r.contains("%e0%80") || r.contains("%u002") || r.contains("%25");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return "ThreatDetector[paranoia " + paranoia + ", " + enabled + "]";
    }
}
