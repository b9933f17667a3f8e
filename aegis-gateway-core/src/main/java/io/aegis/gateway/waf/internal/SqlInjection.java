package io.aegis.gateway.waf.internal;

import io.aegis.gateway.waf.internal.SqlLexer.Tokens;
import java.util.Set;

/**
 * SQL injection by token shapes. The value is lexed three times: as-is (a numeric context),
 * as if inside a single-quoted string and inside a double-quoted one. What follows the point where
 * the value leaves its context must look like SQL that changes the query: a logic operator with
 * a comparison or call, a comment that truncates the query, a clause, an operator closing the
 * string, a stacked statement, {@code UNION SELECT}; some shapes count anywhere (MySQL versioned
 * comments, timing functions, catalog probes).
 *
 * <p>Paranoia level 1 reports only these shapes; level 2 adds whole statements without a context
 * break and dangerous functions anywhere; level 3 any SQL keyword after a context break.
 */
public final class SqlInjection {

    private static final Set<String> TIMING = java.util.Set.copyOf(java.util.Arrays.asList("sleep", "benchmark", "pg_sleep", "dbms_lock", "sleep_for"));
    private static final Set<String> OBJECTS = java.util.Set.copyOf(java.util.Arrays.asList("table", "database", "schema", "procedure", "function", "view",
            "index", "user", "column", "tables", "databases"));

    /** System catalogs: naming them in a query is reconnaissance. */
    private static final Set<String> CATALOGS = Set.of("information_schema", "xp_cmdshell", "sysobjects", "pg_catalog",
            "sqlite_master", "all_tables", "all_tab_columns", "all_users", "dba_users", "dba_tables", "user_tables",
            "v$version", "pg_shadow", "pg_user", "pg_tables", "sysusers", "sysibm", "rdb$database", "syscolumns");
    /** Server variables that reveal the server (MySQL, SQL Server). */
    private static final Set<String> SYSTEM_VARIABLES = Set.of("version", "version_comment", "version_compile_os",
            "datadir", "basedir", "hostname", "servername", "servicename", "spid", "language", "identity", "rowcount",
            "tmpdir", "secure_file_priv", "plugin_dir", "port", "sql_mode", "innodb_version", "global", "session",
            "microsoftversion", "error", "trancount", "dbts", "procid", "lc_time_names", "have_openssl", "log_bin",
            "general_log", "general_log_file", "max_connections", "character_set_client", "collation_database",
            "database_name", "user");

    /** What a server tells about itself. */
    private static final Set<String> METADATA = Set.of("version", "user", "current_user", "system_user", "session_user",
            "database", "current_database", "sqlite_version", "db_name", "suser_sname", "user_name", "schema");

    private static final char[] QUOTES = {0, '\'', '"', '`'};

    private SqlInjection() {
    }

    /** The rule that matched, or {@code null}. {@code v} is normalized. */
    public static String detect(String v, int paranoia) {
        return detect(v, paranoia, true);
    }

    /**
     * @param asIs whether to lex the value as-is too (a numeric context); the caller may skip it when
     *     no shape of that context can match (no SQL-like start, no statement separator, ...)
     */
    public static String detect(String v, int paranoia, boolean asIs) {
        String r = detectOne(v, paranoia, asIs);
        if (r == null && v.indexOf("/*") >= 0) {
            // comments as separators (union/**/select) and as nothing (UN/**/ION)
            r = detectOne(inlineComments(v, false), paranoia, true);
            if (r == null) {
                r = detectOne(inlineComments(v, true), paranoia, true);
            }
        }
        if (r == null && v.indexOf('\n') >= 0 && (v.indexOf('#') >= 0 || v.indexOf("--") >= 0)) {
            r = detectOne(lineComments(v), paranoia, true); // comments as separators: or#x\n1=1, union--\nselect
        }
        if (r == null && v.indexOf('+') >= 0 && v.indexOf(' ') < 0) {
            r = detectOne(v.replace('+', ' '), paranoia, true); // form-encoded spaces that were never decoded
        }
        return r;
    }

    private static String detectOne(String s, int paranoia, boolean asIs) {
        for (char quote : QUOTES) {
            if (quote == 0 && !asIs) {
                continue;
            }
            Tokens t = SqlLexer.lex(s, quote);
            if (t == null) {
                continue;
            }
            String r = analyze(t, paranoia);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /** Line comments ({@code #...} and {@code --...} up to a newline) that end before the value does, as a space. */
    static String lineComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '#' || c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                int eol = s.indexOf('\n', i);
                if (eol < 0) {
                    out.append(s, i, n);
                    break;
                }
                out.append(' ');
                i = eol;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    /** Removes non-executed block comments: joined when inside a word ({@code UN/**}{@code /ION}), else a space. */
    static String inlineComments(String s, boolean join) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        boolean marked = false;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                if (i + 2 < n && s.charAt(i + 2) == '!') {
                    // versioned comment: MySQL runs it; keep a marker and its content
                    out.append(" /*!*/ ");
                    int j = i + 3;
                    while (j < n && Character.isDigit(s.charAt(j))) {
                        j++;
                    }
                    i = j - 1;
                    marked = true;
                    continue;
                }
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    out.append(s, i, n);
                    break;
                }
                if (!join) {
                    out.append(' ');
                }
                i = end + 1;
                continue;
            }
            if (c == '*' && i + 1 < n && s.charAt(i + 1) == '/' && marked) {
                out.append(' ');
                i++;
                continue;
            }
            out.append(c);
        }
        return out.toString();
    }

    static String analyze(Tokens t, int pl) {
        int n = t.size;
        char[] ty = t.type;
        String[] w = t.word;
        for (int i = 0; i < n; i++) {
            char c = ty[i];
            if (c == 'U') {
                int j = skip(t, i + 1, "(c");
                if (j < n && ty[j] == 'k' && ("all".equals(w[j]) || "distinct".equals(w[j]))) {
                    j = skip(t, j + 1, "(c");
                }
                if (j < n && ty[j] == 'E' && "select".equals(w[j]) && (selectList(t, j + 1, t.broke || i > 0)
                        || t.broke && i == 1 && j + 1 >= n)) {
                    return "sqli-union";
                }
            } else if (c == ';' && i + 1 < n && stacked(t, skip(t, i + 1, "c"))) {
                return "sqli-stacked-query";
            } else if (c == 'c' && "/*!".equals(w[i])) {
                return "sqli-mysql-comment";
            } else if (c == 'k' && CATALOGS.contains(w[i])
                    && (i + 1 < n && ty[i + 1] == '.' || i > 0 && (ty[i - 1] == 'k' && "from".equals(w[i - 1])
                    || ty[i - 1] == 'E' || ty[i - 1] == ';'))) {
                return "sqli-catalog-probe";
            } else if (c == 'v' && w[i].startsWith("@@") && w[i].length() > 2 && (t.broke || i > 0)
                    && SYSTEM_VARIABLES.contains(w[i].substring(2))) {
                return "sqli-system-variable";
            } else if (c == 'k' && ("outfile".equals(w[i]) || "dumpfile".equals(w[i])) && i > 0
                    && "into".equals(w[i - 1])) {
                return "sqli-file-write";
            } else if (c == 'F' && TIMING.contains(w[i]) && (i == 0 || ty[i - 1] != '.') && i + 2 < n
                    && ty[i + 1] == '(' && (ty[i + 2] == '1' || ty[i + 2] == '(' || ty[i + 2] == 'F')
                    && (i > 0 || operandEnds(t, i))) {
                return "sqli-timing";
            } else if (c == 'F' && "load_file".equals(w[i])) {
                return "sqli-file-read";
            } else if (c == 'E' && "select".equals(w[i]) && i + 1 < n && (ty[i + 1] == 'F' || ty[i + 1] == '1')
                    && w[i + 1] != null && METADATA.contains(w[i + 1]) && (i + 2 >= n || ty[i + 1] == '1' || ty[i + 2] == '(')) {
                return "sqli-metadata"; // select version(), select current_user: server reconnaissance
            } else if (c == 'k' && "program".equals(w[i]) && i > 1 && "from".equals(w[i - 1])
                    && i + 1 < n && (ty[i + 1] == 's' || ty[i + 1] == 'S')) {
                return "sqli-command-exec"; // PostgreSQL COPY ... FROM PROGRAM 'cmd'
            } else if (c == 'E' && "attach".equals(w[i]) && i + 2 < n && "database".equals(w[i + 1])
                    && (ty[i + 2] == 's' || ty[i + 2] == 'S')) {
                return "sqli-file-write"; // SQLite ATTACH DATABASE '/var/www/x.php'
            } else if (c == 'E' && "begin".equals(w[i]) && (i == 0 || ty[i - 1] == ';') && stacked(t, i)
                    && hasTiming(t, i)) {
                return "sqli-timing";
            } else if (c == 'E' && "waitfor".equals(w[i]) && i + 2 < n && ty[i + 1] == 'k'
                    && ("delay".equals(w[i + 1]) || "time".equals(w[i + 1])) && (ty[i + 2] == 's' || ty[i + 2] == 'S')) {
                return "sqli-timing";
            }
        }
        String shape = contextShape(t, pl);
        if (shape != null) {
            return shape;
        }
        if (pl >= 2) {
            String r = level2(t);
            if (r != null) {
                return r;
            }
        }
        if (pl >= 3 && t.broke) {
            for (int i = 1; i < n; i++) {
                if (ty[i] == 'E' || ty[i] == 'U' || ty[i] == '&' || ty[i] == 'F' || ty[i] == 'c') {
                    return "sqli-keyword-after-quote";
                }
            }
        }
        return null;
    }

    private static String contextShape(Tokens t, int pl) {
        int n = t.size;
        char[] ty = t.type;
        String[] w = t.word;
        int i;
        boolean numeric = false;
        if (t.broke) {
            i = 1;
        } else {
            int j = 0;
            if (j < n && ty[j] == 'o' && ("-".equals(w[j]) || "+".equals(w[j]))) {
                j++;
            }
            if (j < n && ty[j] == '1') {
                i = j + 1;
                numeric = true;
            } else if (j < n && (ty[j] == '&' || ty[j] == ')')) {
                i = j;
            } else if (j + 1 < n && ty[j] == 's' && ty[j + 1] == '&') {
                i = j + 1; // 'a' or 'x'='x': a whole string operand, then the condition
            } else if (j < n && ty[j] == 'k' && ("where".equals(w[j]) || "having".equals(w[j]) || "as".equals(w[j])
                    || "order".equals(w[j]) || "group".equals(w[j]))) {
                i = j; // a value that starts with a clause, made to be appended to a query
            } else {
                return leading(t);
            }
        }
        i = leadIn(t, i);
        if (i >= n) {
            return null;
        }
        char c = ty[i];
        if (c == '&' && logicExpression(t, i + 1, t.broke, numeric)) {
            return "sqli-boolean";
        }
        if (c == 'k' && ("where".equals(w[i]) || "having".equals(w[i])) && logicExpression(t, i + 1, t.broke, numeric)) {
            return "sqli-clause";
        }
        if (clause(t, i)) {
            int first = i + ("having".equals(w[i]) || "limit".equals(w[i]) ? 1 : 2);
            return t.broke || numeric || first < n && ty[first] == '1' ? "sqli-clause" : null;
        }
        if ((t.broke || numeric) && (c == ',' || c == 'o' && !Character.isLetter(w[i].charAt(0)) || c == 'o'
                && i + 1 < n && ty[i + 1] == '(') && i + 1 < n && subqueryOrCall(t, i + 1)
                || (t.broke || numeric) && c == '(' && subqueryOrCall(t, i)) {
            return "sqli-subquery"; // "' ,(select ...)", "' rlike (select ...)", "1 -sleep(5)", "' (select ..."
        }
        if (t.broke && c == 'o' && comparison(t, i)) {
            int k = operand(t, i + 1);
            if (k > 0 && k < n && ty[k] == '&' && logicExpression(t, k + 1, true, false)) {
                return "sqli-boolean"; // 1"="1" and <condition>: the original value compared, then the condition
            }
        }
        if (t.broke) {
            if (c == 'E' && (t.word[i].startsWith("exec") || "waitfor".equals(t.word[i]) || "declare".equals(t.word[i])
                    || "shutdown".equals(t.word[i])) && stacked(t, i)) {
                return "sqli-stacked-query"; // T-SQL runs a batch without semicolons
            }
            if (c == 'c' && i == 1 && truncates(t, i) && shortPrefix(t)) {
                return "sqli-comment-truncation";
            }
            if (c == '&' && i == 1 && "||".equals(w[i]) && i + 1 < n && ("sSfF(".indexOf(ty[i + 1]) >= 0
                    || ty[i + 1] == 'n' && t.word[i + 1] != null && SqlLexer.DANGEROUS.contains(t.word[i + 1]))) {
                return "sqli-concatenation"; // '||'abc'||'
            }
            if (c == 'o' && i + 1 < n && !Character.isLetter(w[i].charAt(0)) && !":".equals(w[i]) && !"!".equals(w[i])
                    && !("*".equals(w[i]) && n == 3 && t.text.length() == t.breakAt + 3) // "*" is a wildcard search
                    && shortPrefix(t) && arithmeticTail(t, i)) {
                return "sqli-operator";
            }
            if (c == 'F' && operand(t, i) > 0 && operandEnds(t, i)) {
                return "sqli-function";
            }
        }
        if (numeric && c == 'o' && i + 1 < n && (ty[i + 1] == 'F' || ty[i + 1] == '(' && i + 2 < n && ty[i + 2] == 'E')) {
            return "sqli-numeric-expression";
        }
        if (numeric && c == 'c' && i + 1 >= n && pl >= 2) {
            return "sqli-comment-truncation";
        }
        return null;
    }

    /**
     * Skips what may stand between a context break and the injected condition without changing its
     * meaning: closing parentheses, a table alias ({@code ) AS x WHERE ...}), the end of a MySQL
     * full-text search ({@code ' IN BOOLEAN MODE) AND ...}).
     */
    private static int leadIn(Tokens t, int i) {
        int n = t.size;
        for (int guard = 0; guard < 4 && i < n; guard++) {
            while (i < n && t.type[i] == ')') {
                i++;
            }
            if (i + 1 < n && t.type[i] == 'k' && "as".equals(t.word[i]) && (t.type[i + 1] == 'n' || t.type[i + 1] == 'k')
                    && i + 2 < n && t.type[i + 2] == 'k' && "where".equals(t.word[i + 2])) {
                i += 2;
            } else if (i + 2 < n && t.type[i] == 'o' && "in".equals(t.word[i]) && t.type[i + 1] == 'n'
                    && t.type[i + 2] == 'n' && regionIs(t, i + 1, "boolean")) {
                i += 3;
            } else {
                break;
            }
        }
        return i;
    }

    private static boolean regionIs(Tokens t, int i, String word) {
        return t.text.regionMatches(true, t.start[i], word, 0, word.length());
    }

    /** A subquery, a {@code CASE} or a dangerous call starts at {@code j}. */
    private static boolean subqueryOrCall(Tokens t, int j) {
        int n = t.size;
        if (j < n && t.type[j] == 'F' && !"if".equals(t.word[j])) {
            return operandEnds(t, j) || operand(t, j) < n && t.type[operand(t, j)] == '&';
        }
        if (j >= n || t.type[j] != '(') {
            return false;
        }
        int end = Math.min(operand(t, j), n);
        for (int p = j; p + 1 < end; p++) {
            // somewhere inside the group: a subquery or a CASE WHEN ("(cast('a'||(select ...)))")
            if (t.type[p] == '(' && (t.type[p + 1] == 'E' && "select".equals(t.word[p + 1]) && selectList(t, p + 2, true)
                    || t.type[p + 1] == 'k' && "case".equals(t.word[p + 1]) && p + 2 < n && "when".equals(t.word[p + 2]))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A value that starts with SQL made to replace a whole operand: a parenthesized subquery
     * ({@code (select id from users limit 1,1)}), a {@code CASE WHEN}, a comparison of numbers
     * computed on ({@code (1=1)*5}), or a dangerous call whose arguments hold a subquery or a
     * comparison ({@code make_set(1=2,3)}, {@code exp(~(select ...))}).
     */
    private static String leading(Tokens t) {
        int n = t.size;
        char[] ty = t.type;
        int p = 0;
        while (p < n && ty[p] == '(') {
            p++;
        }
        if (p >= n) {
            return null;
        }
        if (p == 0 && stacked(t, 0) && ty[0] == 'F') {
            return "sqli-stacked-query"; // IF (1=1) SELECT 1 ELSE DROP FUNCTION x
        }
        if (p > 0 && subqueryOrCall(t, p - 1) && ty[p] != 'F') {
            return "sqli-subquery";
        }
        if (p > 0) {
            int k = operand(t, p);
            int m = k > 0 && k < n && ty[k] == 'o' && comparison(t, k) ? operand(t, k + 1) : -1;
            if (m > 0 && m < n && ty[m] == ')' && (m + 1 >= n || ty[m + 1] == 'o') && ty[p] != 'n') {
                return "sqli-numeric-expression"; // (1=2)*3, (length(database())>3)*1
            }
        }
        if (p == 0 && n > 1 && ty[0] == 'o' && comparison(t, 0) && subqueryOrCall(t, 1)) {
            return "sqli-subquery"; // " rlike (select ...)" made to be appended
        }
        if (p == 0 && n > 2 && (ty[0] == 'n' || ty[0] == '1' || ty[0] == 's') && (ty[1] == 'o'
                && !Character.isLetter(t.word[1].charAt(0)) || ty[1] == '&' && "||".equals(t.word[1]))
                && subqueryOrCall(t, 2)) {
            return "sqli-subquery"; // kim+(select ...), abc||(select ...)
        }
        if (ty[p] == 'F' && !"if".equals(t.word[p]) && p + 1 < n && ty[p + 1] == '(') {
            int end = operand(t, p);
            for (int k = p + 2; k < end && k < n; k++) {
                if (ty[k] == '(' && k + 1 < n && ty[k + 1] == 'E' && "select".equals(t.word[k + 1])
                        || k == p + 2 && (ty[k] == '1' || ty[k] == 'F') && operand(t, k) < n
                        && ty[operand(t, k)] == 'o' && comparison(t, operand(t, k))) {
                    return "sqli-function";
                }
            }
        }
        return null;
    }

    /** The value before the breaking quote is short, like a field value (prose has many words). */
    private static boolean shortPrefix(Tokens t) {
        int spaces = 0;
        for (int i = 0; i < t.breakAt && spaces < 3; i++) {
            if (t.text.charAt(i) == ' ') {
                spaces++;
            }
        }
        return spaces < 3;
    }

    /**
     * An unterminated string at token {@code i}, opened with the context's own quote, that holds at
     * most a short filler right after the quote ({@code '}, {@code 'x}, {@code '1}): the quote that
     * balances the query's closing one. Text goes on with words ({@code "&" sign}).
     */
    private static boolean shortTail(Tokens t, int i) {
        int from = t.start[i] + 1;
        if (t.quote != 0 && t.text.charAt(t.start[i]) != t.quote) {
            return false;
        }
        String tail = t.text.substring(from).trim();
        return tail.isEmpty() || tail.length() <= 3 && t.text.charAt(from) != ' ';
    }

    /**
     * After the break, an arithmetic or comparison operator and operands (numbers, strings, calls,
     * not words) up to the end, a comment or a re-opened empty string: {@code '-'}, {@code '*1--},
     * {@code '+sleep(5)+'}. Quoted sizes in text ({@code 1/4"-1/2" ribbon}) go on with words.
     */
    private static boolean arithmeticTail(Tokens t, int i) {
        int n = t.size;
        int m = i;
        for (int guard = 0; guard < 8 && m < n && t.type[m] == 'o'; guard++) {
            if (m + 1 >= n || "1sSfF(v".indexOf(t.type[m + 1]) < 0) {
                return false;
            }
            if (t.type[m + 1] == 'S') {
                return m + 2 >= n && shortTail(t, m + 1);
            }
            m = operand(t, m + 1);
        }
        // the query's closing quote must be balanced: by a comment or a re-opened quote
        return m < n && (t.type[m] == 'c' || t.type[m] == 'S' && m == n - 1 && shortTail(t, m))
                || m >= n && t.type[n - 1] == 's' && t.quote != 0 && tokenText(t, n - 1).equals("" + t.quote + t.quote);
    }

    /** Whether the operator token at {@code k} compares (rather than computes). */
    private static boolean comparison(Tokens t, int k) {
        String op = t.word[k];
        if (op == null) {
            return false;
        }
        switch (op) {
            case "=", "<", ">", "<=", ">=", "<>", "!=", "<=>", "==", "!<", "!>", "like", "rlike", "regexp", "sounds",
                    "glob", "match", "similar", "between" -> {
                return true;
            }
            case "in" -> {
                return k + 1 < t.size && t.type[k + 1] == '(';
            }
            case "is" -> {
                return k + 1 < t.size && (t.type[k + 1] == 'o' && "not".equals(t.word[k + 1])
                        || t.type[k + 1] == '1' && t.word[k + 1] != null);
            }
            case "not" -> {
                return k + 1 < t.size && (t.type[k + 1] == '(' || t.type[k + 1] == 'o' && !"not".equals(t.word[k + 1])
                        || t.type[k + 1] == '1' && t.word[k + 1] != null || "exists".equals(t.word[k + 1]));
            }
            default -> {
                return false;
            }
        }
    }

    /** After {@code and}/{@code or}: a comparison, a call, a subquery, or a literal that ends the statement. */
    private static boolean logicExpression(Tokens t, int j, boolean broke, boolean numeric) {
        int n = t.size;
        char[] ty = t.type;
        while (j < n && ty[j] == 'o' && ("not".equals(t.word[j]) || "!".equals(t.word[j]) || "-".equals(t.word[j])
                || "~".equals(t.word[j]) || "+".equals(t.word[j]))) {
            j++;
        }
        if (j >= n) {
            return false;
        }
        char c = ty[j];
        if (c == 'F' || c == 'f' && broke && operand(t, j) > 0 && (operandEnds(t, j) || compares(t, operand(t, j)))) {
            return true;
        }
        if (c == '(') {
            int p = j;
            while (p < n && ty[p] == '(') {
                p++;
            }
            if (p < n && (ty[p] == 'E' || ty[p] == 'F' || ty[p] == 'k' && "case".equals(t.word[p]))) {
                return true;
            }
            int k = operand(t, p);
            if (k > 0 && k < n && compares(t, k) && (broke || numeric || ty[p] != 'n')) {
                return true;
            }
            int group = operand(t, j);
            return group > 0 && group < n && compares(t, group) && (broke || numeric);
        }
        if (c == 'k' && "exists".equals(t.word[j])) {
            return true;
        }
        int k = operand(t, j);
        if (k < 0) {
            return false;
        }
        if (k >= n) {
            return broke && (c == 'S' && shortTail(t, j) || c == '1')
                    || numeric && c == '1' && t.word[j] != null; // 1 or true
        }
        char next = ty[k];
        if (next == 'c') {
            return broke || numeric || c != 'n';
        }
        if (next == 'k' && (broke || numeric) && c == '1' && clause(t, k)) {
            return true; // ' or 1 group by ...
        }
        if (broke && "sS".indexOf(c) >= 0 && (next == 'S' && k == n - 1 && shortTail(t, k) || next == 'o' && !compares(t, k)
                && arithmeticTail(t, k))) {
            return true; // ' or ''-', ' or '' ': an expression of strings that closes the query's own quote
        }
        if (next == 'o' && k + 1 < n) {
            if (!compares(t, k)) {
                return false;
            }
            int m = k;
            while (m < n && ty[m] == 'o' && !comparison(t, m)) {
                m = operand(t, m + 1);
                if (m < 0) {
                    return false;
                }
            }
            if (m >= n || k + 1 >= n) {
                return false;
            }
            String op = t.word[m];
            if (Character.isLetter(op.charAt(0)) && !"between".equals(op)) {
                return broke || numeric || c != 'n';
            }
            int right = operand(t, m + 1);
            if (right < 0 && !(ty[m + 1] == 'k' && "any".equals(t.word[m + 1]))) {
                return false;
            }
            if (broke || numeric || right < n && ty[right] == 'c') {
                return true; // a comparison and then a comment is SQL, not English
            }
            // "x = y" between two plain words is English-like unless the context was broken, or the same word
            return c != 'n' || ty[m + 1] != 'n' || m == k && tokenText(t, j).equalsIgnoreCase(tokenText(t, m + 1));
        }
        if (next == ';' || next == '&') {
            return broke && c == '1';
        }
        return false;
    }

    /** The operator at {@code k} compares, now or after some arithmetic ({@code 1+1=2}). */
    private static boolean compares(Tokens t, int k) {
        int n = t.size;
        for (int guard = 0; guard < 8 && k >= 0 && k < n && t.type[k] == 'o'; guard++) {
            if (comparison(t, k)) {
                return true;
            }
            k = operand(t, k + 1);
        }
        return false;
    }

    /** The source text of a one-character-type token such as a bare word. */
    private static String tokenText(Tokens t, int i) {
        int from = t.start[i];
        int to = i + 1 < t.size ? t.start[i + 1] : t.text.length();
        return t.text.substring(from, to).trim();
    }

    /** Strings and variables joined with {@code +} or {@code ||}, then {@code )}: T-SQL dynamic SQL. */
    private static boolean dynamicSql(Tokens t, int k) {
        int n = t.size;
        for (int guard = 0; guard < 16 && k < n && (t.type[k] == 's' || t.type[k] == 'v'); guard++) {
            k++;
            if (k < n && t.type[k] == ')') {
                return true;
            }
            if (k >= n || !("+".equals(t.word[k]) || "||".equals(t.word[k]))) {
                return false;
            }
            k++;
        }
        return false;
    }

    private static boolean hasTiming(Tokens t, int from) {
        for (int k = from; k < t.size; k++) {
            if (t.type[k] == 'F' && TIMING.contains(t.word[k])) {
                return true;
            }
        }
        return false;
    }

    /** The call at {@code i} is followed by nothing, a comment or SQL punctuation. */
    private static boolean operandEnds(Tokens t, int i) {
        int k = operand(t, i);
        return k >= t.size || t.type[k] == 'c' || t.type[k] == ';' || t.type[k] == ')'
                || (t.type[k] == '&' || t.type[k] == 'o') && t.word[k] != null && !Character.isLetter(t.word[k].charAt(0));
    }

    private static boolean clause(Tokens t, int i) {
        int n = t.size;
        if (i >= n || t.type[i] != 'k') {
            return false;
        }
        String w = t.word[i];
        int j;
        if (("order".equals(w) || "group".equals(w)) && i + 1 < n && "by".equals(t.word[i + 1])) {
            j = i + 2;
        } else if ("having".equals(w) || "limit".equals(w)) {
            j = i + 1;
        } else if ("procedure".equals(w) && i + 1 < n && "analyse".equals(t.word[i + 1])) {
            return true;
        } else {
            return false;
        }
        int k = operand(t, j);
        if (k < 0) {
            return false;
        }
        while (k < n && (t.type[k] == ',' || t.type[k] == 'o') && k + 1 < n) {
            int m = operand(t, k + 1);
            if (m < 0) {
                break;
            }
            k = m;
        }
        return k >= n || t.type[k] == 'c' || t.type[k] == 'S' || t.type[k] == '&' || t.type[k] == ';'
                || t.type[k] == 'k' && ("asc".equals(t.word[k]) || "desc".equals(t.word[k]) || "having".equals(t.word[k])
                || "into".equals(t.word[k]) || "limit".equals(t.word[k]) || "procedure".equals(t.word[k]));
    }

    private static boolean truncates(Tokens t, int i) {
        String text = t.text;
        int at = t.start[i];
        String w = t.word[i];
        if ("#".equals(w)) {
            // admin'#, admin' #: nothing after it on the line ("bar'# blah" is text)
            return (at + 1 >= text.length() || " -'\"\n".indexOf(text.charAt(at + 1)) >= 0) && restOfLineBlank(text, at + 1);
        }
        if ("--".equals(w)) {
            return (at + 2 >= text.length() || " -+\t\n'\"".indexOf(text.charAt(at + 2)) >= 0) && oneWord(text, at + 2);
        }
        return "/*".equals(w);
    }

    private static boolean restOfLineBlank(String text, int from) {
        for (int k = from; k < text.length() && text.charAt(k) != '\n'; k++) {
            if (" -\t'\"".indexOf(text.charAt(k)) < 0) {
                return false;
            }
        }
        return true;
    }

    /** What follows a line comment is at most one word ({@code -- -}, {@code --+}, {@code -- x}); prose goes on. */
    private static boolean oneWord(String text, int from) {
        int end = text.indexOf('\n', from);
        String rest = (end < 0 ? text.substring(from) : text.substring(from, end)).trim();
        return rest.indexOf(' ') < 0;
    }

    /** The index after the operand at {@code j}, or -1 when there is none. */
    static int operand(Tokens t, int j) {
        int n = t.size;
        if (j >= n) {
            return -1;
        }
        char c = t.type[j];
        switch (c) {
            case '1', 's', 'S', 'n', 'v' -> {
                int k = j + 1;
                while (k + 1 < n && t.type[k] == '.' && (t.type[k + 1] == 'n' || t.type[k + 1] == 'k')) {
                    k += 2;
                }
                if (k + 1 < n && t.type[k] == '.' && (t.type[k + 1] == 'f' || t.type[k + 1] == 'F')) {
                    return operand(t, k + 1); // dbms_pipe.receive_message(...)
                }
                return k;
            }
            case 'f', 'F', '(' -> {
                int k = c == '(' ? j : j + 1;
                if (k >= n || t.type[k] != '(') {
                    return k;
                }
                int depth = 0;
                for (; k < n; k++) {
                    if (t.type[k] == '(') {
                        depth++;
                    } else if (t.type[k] == ')' && --depth == 0) {
                        return k + 1;
                    }
                }
                return n;
            }
            case 'k' -> {
                return "exists".equals(t.word[j]) || "user".equals(t.word[j]) || "case".equals(t.word[j]) ? j + 1 : -1;
            }
            default -> {
                return -1;
            }
        }
    }

    private static boolean selectList(Tokens t, int j, boolean context) {
        int n = t.size;
        j = skip(t, j, "c");
        while (j < n && t.type[j] == 'k' && ("distinct".equals(t.word[j]) || "all".equals(t.word[j]) || "top".equals(t.word[j]))) {
            j = skip(t, j + 1, "c1");
        }
        if (j >= n) {
            return false;
        }
        char c = t.type[j];
        if (c == '1' || c == 's' || c == 'S' || c == 'v' || c == 'F' || c == 'f' || c == '(') {
            return true;
        }
        if (c == 'o' && "*".equals(t.word[j]) || c == 'k' && "case".equals(t.word[j])) {
            return true;
        }
        if (c == 'n' || c == 'k') {
            int k = operand(t, j);
            if (k < 0) {
                k = j + 1;
            }
            return k < n && (t.type[k] == ',' || t.type[k] == 'k' && "from".equals(t.word[k]) || t.type[k] == 'c')
                    || k >= n && context && c == 'k';
        }
        return false;
    }

    private static boolean stacked(Tokens t, int j) {
        int n = t.size;
        if (j < n && t.type[j] == 'F' && "if".equals(t.word[j])) {
            int k = operand(t, j);
            return k > 0 && k < n && t.type[k] == 'E'; // T-SQL: IF (cond) SELECT ... ELSE DROP ...
        }
        if (j >= n || t.type[j] != 'E') {
            return false;
        }
        String w = t.word[j];
        int k = j + 1;
        switch (w) {
            case "select" -> {
                return selectList(t, k, true);
            }
            case "drop", "create", "alter", "truncate" -> {
                return k < n && t.type[k] == 'k' && OBJECTS.contains(t.word[k]);
            }
            case "delete" -> {
                return k < n && t.type[k] == 'k' && "from".equals(t.word[k]);
            }
            case "insert", "replace" -> {
                return k < n && t.type[k] == 'k' && "into".equals(t.word[k]);
            }
            case "update" -> {
                return k + 1 < n && (t.type[k] == 'n' || t.type[k] == 'k') && t.type[k + 1] == 'k' && "set".equals(t.word[k + 1]);
            }
            case "exec", "execute" -> {
                if (k >= n) {
                    return false;
                }
                String x = t.word[k];
                return t.type[k] == '(' && dynamicSql(t, k + 1) // EXEC('sel'+'ect 1'); not JavaScript's exec('cmd', cb)
                        || t.type[k] == 'v' || t.type[k] == 's' || x != null && (x.startsWith("xp_") || x.startsWith("sp_") || "master".equals(x)
                        || "immediate".equals(x));
            }
            case "declare" -> {
                return k < n && t.type[k] == 'v';
            }
            case "shutdown" -> {
                return k >= n || t.type[k] == 'c' || t.type[k] == ';' || "with".equals(t.word[k]);
            }
            case "waitfor" -> {
                return k < n && ("delay".equals(t.word[k]) || "time".equals(t.word[k]));
            }
            case "call" -> {
                return k < n && (t.type[k] == 'f' || t.type[k] == 'F' || t.type[k] == 'k' && "case".equals(t.word[k]));
            }
            case "begin" -> {
                // PL/SQL block: BEGIN dbms_lock.sleep(5); END
                int m = k < n && t.type[k] == 'n' ? operand(t, k) : -1;
                return k < n && (t.type[k] == 'F' || t.type[k] == 'E' && "declare".equals(t.word[k])
                        || m > k + 1 && m <= n && t.type[m - 1] == ')');
            }
            default -> {
                return false;
            }
        }
    }

    private static String level2(Tokens t) {
        int n = t.size;
        char[] ty = t.type;
        for (int i = 0; i < n; i++) {
            if (ty[i] == 'E' && stacked(t, i)) {
                if ("select".equals(t.word[i])) {
                    for (int k = i + 1; k < n; k++) {
                        if (ty[k] == 'k' && "from".equals(t.word[k])) {
                            return "sqli-statement";
                        }
                    }
                    continue;
                }
                return "sqli-statement";
            }
            if (ty[i] == 'F' && (i == 0 || ty[i - 1] != '.') && !"if".equals(t.word[i]) && !"left".equals(t.word[i])
                    && !"right".equals(t.word[i]) && !"count".equals(t.word[i]) && !"lower".equals(t.word[i])
                    && !"upper".equals(t.word[i]) && !"length".equals(t.word[i]) && !"exists".equals(t.word[i])
                    && !"case".equals(t.word[i]) && !"exp".equals(t.word[i]) && !"position".equals(t.word[i])
                    && !"floor".equals(t.word[i]) && !"row".equals(t.word[i])) {
                return "sqli-function";
            }
            if (ty[i] == 'v' && t.word[i].startsWith("@@")) {
                return "sqli-system-variable";
            }
            if (t.broke && i == 1 && ty[i] == 'c') {
                return "sqli-comment-truncation";
            }
            if (t.broke && i == 1 && ty[i] == '&') {
                int k = operand(t, i + 1);
                if (k > 0 && (k >= n || ty[k] == 'o' || ty[k] == 'c')) {
                    return "sqli-boolean";
                }
            }
        }
        return null;
    }

    private static int skip(Tokens t, int j, String types) {
        while (j < t.size && types.indexOf(t.type[j]) >= 0) {
            j++;
        }
        return j;
    }
}
