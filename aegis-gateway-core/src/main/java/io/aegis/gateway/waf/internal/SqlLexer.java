package io.aegis.gateway.waf.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * A SQL lexer for detection: it turns a value into a string of token-type characters (the
 * approach of libinjection), never throws, and runs in one linear pass.
 *
 * <p>Types: {@code s} closed string, {@code S} unterminated string, {@code 1} number or literal
 * ({@code true}, {@code null}), {@code n} bareword, {@code f} function call (a word before
 * {@code (}), {@code F} a dangerous function, {@code k} keyword, {@code E} statement keyword,
 * {@code U} {@code union}/{@code intersect}/{@code except}, {@code &} logic operator, {@code o}
 * operator, {@code v} variable, {@code c} comment, {@code (} {@code )} {@code ,} {@code ;}
 * {@code .}, {@code X} anything else.
 *
 * <p>A lexing may start inside a quoted string ({@code quote} is {@code '} or {@code "}): the
 * text up to the first quote (and any run of quotes after it) is the context-breaking prefix,
 * reported as a single {@code s} token.
 */
public final class SqlLexer {

    /** At most this many tokens are kept; the rest of a long value is not lexed further. */
    public static final int MAX_TOKENS = 256;

    static final Map<String, Character> WORDS = new HashMap<>();

    static {
        for (String w : new String[] {"select", "insert", "update", "delete", "drop", "create", "alter", "truncate",
                "exec", "execute", "declare", "shutdown", "waitfor", "grant", "revoke", "merge", "call", "handler",
                "replace", "rename", "load", "pragma", "attach", "copy", "begin"}) {
            WORDS.put(w, 'E');
        }
        for (String w : new String[] {"union", "intersect", "except", "minus"}) {
            WORDS.put(w, 'U');
        }
        for (String w : new String[] {"and", "or", "xor"}) {
            WORDS.put(w, '&');
        }
        for (String w : new String[] {"like", "rlike", "regexp", "sounds", "between", "is", "in", "div", "mod",
                "not", "glob", "match", "escape", "collate", "similar"}) {
            WORDS.put(w, 'o');
        }
        for (String w : new String[] {"true", "false", "null", "unknown", "current_user", "session_user",
                "system_user", "current_date", "current_timestamp", "localtime"}) {
            WORDS.put(w, '1');
        }
        for (String w : new String[] {"from", "where", "table", "tables", "into", "values", "set", "having", "group",
                "order", "by", "limit", "offset", "as", "case", "when", "then", "else", "end", "exists", "all",
                "distinct", "database", "databases", "schema", "procedure", "function", "view", "index", "column",
                "columns", "delay", "time", "top", "outfile", "dumpfile", "asc", "desc", "join", "inner", "outer",
                "left", "right", "on", "using", "returning", "procedure", "analyse", "fetch", "next", "rows", "only",
                "begin", "if", "user", "xp_cmdshell", "information_schema", "sysobjects", "syscolumns",
                "mysql", "pg_catalog", "sqlite_master", "dual", "all_tables", "all_tab_columns", "all_users", "dba_users",
                "dba_tables", "user_tables", "v$version", "pg_shadow", "pg_user", "pg_tables", "sysusers", "sysibm",
                "rdb$database", "program", "char", "nchar", "varchar", "int", "integer",
                "cast", "convert", "like", "for", "while", "go", "use", "show", "describe", "explain", "of",
                "master", "sys", "sleep", "benchmark", "pg_sleep"}) {
            WORDS.putIfAbsent(w, 'k');
        }
    }

    /** Functions that matter for injection: timing, error-based extraction, file access, metadata. */
    static final java.util.Set<String> DANGEROUS = java.util.Set.copyOf(java.util.Arrays.asList("sleep", "benchmark", "pg_sleep", "waitfor",
            "if", "iif", "ascii", "ord", "substring", "substr", "mid", "char", "chr", "nchar", "concat", "concat_ws",
            "group_concat", "extractvalue", "updatexml", "version", "user", "current_user", "system_user", "database",
            "schema", "load_file", "hex", "unhex", "cast", "convert", "count", "length", "len", "md5", "sha1", "rand",
            "floor", "exp", "elt", "make_set", "name_const", "db_name", "user_name", "randomblob", "sqlite_version",
            "utl_inaddr", "get_host_address", "dbms_pipe", "receive_message", "utl_http", "request", "xp_cmdshell",
            "sp_executesql", "exists", "json_keys", "gtid_subset", "polygon", "multipoint", "geometrycollection",
            "linestring", "row", "bin", "lower", "upper", "mid", "left", "right", "instr", "locate", "position",
            "coalesce", "ifnull", "nullif", "isnull", "case", "char_length", "string_agg", "xmltype", "extract",
            "dbms_lock", "sleep_for", "pg_read_file", "lo_import", "current_setting", "to_char", "randomblob",
            "unicode", "quotename", "openrowset", "opendatasource", "is_srvrolemember", "has_dbaccess", "@@version",
            "like", "glob", "generate_series", "raise_error", "regexp_substring", "dbms_utility", "user_lock",
            "ctxsys", "make_set", "iif", "sysdate", "current_database", "suser_sname", "pg_read_file"));

    private static final int TABLE_SIZE = 1024;
    private static final String[] KEYS = new String[TABLE_SIZE];
    private static final char[] TYPES = new char[TABLE_SIZE];
    private static final boolean[] DANGER = new boolean[TABLE_SIZE];

    static {
        WORDS.put("immediate", 'k');
        java.util.Set<String> all = new java.util.HashSet<>(WORDS.keySet());
        all.addAll(DANGEROUS);
        for (String w : all) {
            int i = hash(w, 0, w.length()) & TABLE_SIZE - 1;
            while (KEYS[i] != null) {
                i = i + 1 & TABLE_SIZE - 1;
            }
            KEYS[i] = w;
            Character type = WORDS.get(w);
            TYPES[i] = type == null ? 0 : type;
            DANGER[i] = DANGEROUS.contains(w);
        }
    }

    /** A case-insensitive hash of {@code s[from, to)} (ASCII letters folded). */
    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            h = h * 31 + c;
        }
        return h ^ h >>> 16;
    }

    /** The table slot of a known word, or -1; no allocation. */
    private static int lookup(String s, int from, int to) {
        int len = to - from;
        if (len > 24) {
            return -1;
        }
        int i = hash(s, from, to) & TABLE_SIZE - 1;
        while (KEYS[i] != null) {
            if (KEYS[i].length() == len && s.regionMatches(true, from, KEYS[i], 0, len)) {
                return i;
            }
            i = i + 1 & TABLE_SIZE - 1;
        }
        return -1;
    }

    /**
     * Whether a dangerous function name ({@code sleep}, {@code benchmark}, {@code load_file}, ...)
     * comes right before some {@code (} of the value: the cheap test that lets ordinary text with
     * parentheses skip lexing at paranoia level 1.
     */
    public static boolean dangerousCall(String s) {
        for (int p = s.indexOf('('); p > 0; p = s.indexOf('(', p + 1)) {
            int end = p;
            while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\t')) {
                end--;
            }
            int begin = end;
            while (begin > 0 && isWordPart(s.charAt(begin - 1)) && end - begin < 24) {
                begin--;
            }
            if (begin < end) {
                int slot = lookup(s, begin, end);
                if (slot >= 0 && DANGER[slot]) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The lexed tokens: types and, for words, their lower-case text. */
    public static final class Tokens {
        public char[] type = new char[16];
        public String[] word = new String[16];
        public int[] start = new int[16];
        public int size;
        /** The break token exists (the lexing began inside a quoted string and left it). */
        public boolean broke;
        /** The lexed text. */
        public String text;
        /** Where the quote that breaks the context is ({@code -1} for a lexing as-is). */
        public int breakAt = -1;
        /** The quote of the context ({@code 0} for a lexing as-is). */
        public char quote;

        // One per thread, reset for each lexing: a value is lexed up to a dozen times (contexts,
        // comment variants) and the analysis of one lexing ends before the next begins.
        private static final ThreadLocal<Tokens> REUSED = ThreadLocal.withInitial(Tokens::new);

        /** This thread's tokens, emptied: valid until its next {@code lex}. */
        static Tokens reused() {
            Tokens t = REUSED.get();
            t.size = 0;
            t.broke = false;
            t.breakAt = -1;
            t.quote = 0;
            t.text = null;
            return t;
        }

        void add(char t, String w, int at) {
            if (size == type.length && size < MAX_TOKENS) {
                int cap = Math.min(MAX_TOKENS, size * 2);
                type = java.util.Arrays.copyOf(type, cap);
                word = java.util.Arrays.copyOf(word, cap);
                start = java.util.Arrays.copyOf(start, cap);
            }
            if (size < MAX_TOKENS) {
                type[size] = t;
                word[size] = w;
                start[size] = at;
                size++;
            }
        }

        /** The token types as a string, e.g. {@code s&1o1c}. */
        public String fingerprint() {
            return new String(type, 0, size);
        }
    }

    private SqlLexer() {
    }

    /**
     * Lexes {@code s} (already normalized, any case).
     *
     * @param quote {@code 0} for the value as-is, or the quote character the value is assumed to be inside
     * @return the tokens (this thread's, valid until its next {@code lex}), or {@code null} when a quote context was asked
     *     for and the value never leaves it
     */
    public static Tokens lex(String s, char quote) {
        int n = s.length();
        int i = 0;
        int q = quote == 0 ? -1 : s.indexOf(quote);
        if (quote != 0 && q < 0) {
            return null; // checked before any allocation: most values hold one kind of quote at most
        }
        Tokens t = Tokens.reused();
        t.text = s;
        if (quote != 0) {
            t.add('s', null, 0);
            t.broke = true;
            t.breakAt = q;
            t.quote = quote;
            i = q + 1;
            while (i < n && s.charAt(i) == quote) {
                i++;
            }
        }
        while (i < n && t.size < MAX_TOKENS) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c || c == 0xa0) {
                i++;
                continue;
            }
            int at = i;
            if (c == '\'' || c == '"') {
                int j = i + 1;
                while (j < n) {
                    char d = s.charAt(j);
                    if (d == '\\' && j + 1 < n) {
                        j += 2;
                        continue;
                    }
                    if (d == c) {
                        if (j + 1 < n && s.charAt(j + 1) == c) {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                if (j >= n) {
                    t.add('S', null, at);
                    i = n;
                } else {
                    t.add('s', null, at);
                    i = j + 1;
                }
                continue;
            }
            if (c == '`') {
                int j = s.indexOf('`', i + 1);
                t.add('n', null, at);
                i = j < 0 ? n : j + 1;
                continue;
            }
            if (c >= '0' && c <= '9' || c == '.' && i + 1 < n && Character.isDigit(s.charAt(i + 1))) {
                int j = i;
                if (c == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X' || s.charAt(i + 1) == 'b')) {
                    j += 2;
                    while (j < n && Normalizer.hex(s.charAt(j)) >= 0) {
                        j++;
                    }
                } else {
                    while (j < n && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '.')) {
                        j++;
                    }
                    if (j < n && (s.charAt(j) == 'e' || s.charAt(j) == 'E') && j + 1 < n
                            && (Character.isDigit(s.charAt(j + 1)) || (s.charAt(j + 1) == '-' || s.charAt(j + 1) == '+')
                            && j + 2 < n && Character.isDigit(s.charAt(j + 2)))) {
                        j += 2;
                        while (j < n && Character.isDigit(s.charAt(j))) {
                            j++;
                        }
                    }
                }
                t.add('1', null, at);
                i = j;
                continue;
            }
            if (isWordStart(c)) {
                int j = i + 1;
                while (j < n && isWordPart(s.charAt(j))) {
                    j++;
                }
                int slot = lookup(s, i, j);
                char type = slot < 0 ? 0 : TYPES[slot];
                String w = slot >= 0 ? KEYS[slot] : null;
                if (w == null && t.size > 0 && t.type[t.size - 1] == 'E') {
                    w = s.substring(i, j).toLowerCase(java.util.Locale.ROOT); // exec xp_anything
                }
                int k = j;
                while (k < n && (s.charAt(k) == ' ' || s.charAt(k) == '\t' || s.charAt(k) == '\n')) {
                    k++;
                }
                if (k < n && s.charAt(k) == '(' && (type == 0 || type == 'k' || type == '1'
                        || type == 'o' && k == j && slot >= 0 && DANGER[slot])) {
                    t.add(slot >= 0 && DANGER[slot] ? 'F' : 'f', w, at);
                } else {
                    t.add(type == 0 ? 'n' : type, w, at);
                }
                i = j;
                continue;
            }
            if (c == '@') {
                int j = i + 1;
                while (j < n && (s.charAt(j) == '@' || isWordPart(s.charAt(j)))) {
                    j++;
                }
                t.add('v', s.substring(i, j).toLowerCase(java.util.Locale.ROOT), at);
                i = j;
                continue;
            }
            if (c == '#' || c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                // a line comment ends at the end of the line, and the statement goes on after it
                // ("-1#\nunion select ...")
                t.add('c', c == '#' ? "#" : "--", at);
                int eol = s.indexOf('\n', i);
                i = eol < 0 ? n : eol + 1;
                continue;
            }
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                boolean versioned = i + 2 < n && s.charAt(i + 2) == '!';
                if (versioned) {
                    // MySQL executes /*! ... */: lex its content as code
                    t.add('c', "/*!", at);
                    int j = i + 3;
                    while (j < n && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                    i = j;
                    continue;
                }
                t.add('c', end < 0 ? "/*" : "/**/", at);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (c == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                i += 2; // the end of a versioned comment
                continue;
            }
            switch (c) {
                case '(', ')', ',', ';', '.' -> {
                    t.add(c, null, at);
                    i++;
                }
                case '|' -> {
                    boolean two = i + 1 < n && s.charAt(i + 1) == '|';
                    t.add(two ? '&' : 'o', two ? "||" : "|", at);
                    i += two ? 2 : 1;
                }
                case '&' -> {
                    boolean two = i + 1 < n && s.charAt(i + 1) == '&';
                    t.add(two ? '&' : 'o', two ? "&&" : "&", at);
                    i += two ? 2 : 1;
                }
                case '=', '<', '>', '!', '+', '-', '*', '/', '%', '^', '~', ':' -> {
                    int j = i + 1;
                    while (j < n && j - i < 3 && "=<>!:".indexOf(s.charAt(j)) >= 0) {
                        j++;
                    }
                    String op = s.substring(i, j);
                    t.add('o', op, at);
                    i = j;
                }
                default -> {
                    t.add('X', null, at);
                    i++;
                }
            }
        }
        return t;
    }

    static boolean isWordStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$' || c >= 0x80 && Character.isLetter(c);
    }

    static boolean isWordPart(char c) {
        return isWordStart(c) || c >= '0' && c <= '9';
    }
}
