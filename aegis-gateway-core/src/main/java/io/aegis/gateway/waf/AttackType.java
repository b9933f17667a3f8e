package io.aegis.gateway.waf;

import java.util.Locale;

/** The classes of attack the detection engine recognizes. */
public enum AttackType {
    /** SQL injection: a value that leaves its SQL context and changes the query. */
    SQL_INJECTION("sqli"),
    /** Cross-site scripting: markup or script that a browser would run. */
    XSS("xss"),
    /** Path traversal: a path that climbs out of its directory, or names a sensitive file. */
    PATH_TRAVERSAL("traversal"),
    /** OS command injection: a shell separator or substitution followed by a command. */
    COMMAND_INJECTION("cmdi"),
    /** LDAP filter injection. */
    LDAP_INJECTION("ldapi"),
    /** Server-side request forgery: a URL to internal, metadata or non-HTTP targets. */
    SSRF("ssrf"),
    /** A known attack tool announcing itself (User-Agent). */
    SCANNER("scanner");

    private final String id;

    AttackType(String id) {
        this.id = id;
    }

    /** The short id used in configuration, events and problems: {@code sqli}, {@code xss}, ... */
    public String id() {
        return id;
    }

    /**
     * Parses an id ({@code sqli}) or a constant name ({@code SQL_INJECTION}), case-insensitively.
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static AttackType parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        for (AttackType a : values()) {
            if (a.id.equals(t) || a.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(t.replace('_', '-'))) {
                return a;
            }
        }
        throw new IllegalArgumentException("attack: '" + text
                + "' (expected: one of sqli, xss, traversal, cmdi, ldapi, ssrf, scanner)");
    }
}
