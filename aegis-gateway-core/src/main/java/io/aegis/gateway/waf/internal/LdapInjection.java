package io.aegis.gateway.waf.internal;

/**
 * LDAP filter injection: a value that closes a filter and opens another ({@code *)(uid=*},
 * {@code )(|(}, {@code admin)(&)}), or that carries a complete filter operator group.
 */
public final class LdapInjection {

    private LdapInjection() {
    }

    /** The rule that matched, or {@code null}. {@code v} is normalized and lower-cased. */
    public static String detect(String v, int paranoia) {
        int n = v.length();
        for (int i = v.indexOf(')'); i >= 0 && i + 1 < n; i = v.indexOf(')', i + 1)) {
            int j = i + 1;
            while (j < n && v.charAt(j) == ' ') {
                j++;
            }
            if (j >= n || v.charAt(j) != '(') {
                continue;
            }
            j++;
            if (j < n && (v.charAt(j) == '|' || v.charAt(j) == '&' || v.charAt(j) == '!')) {
                return "ldapi-filter";
            }
            int k = j;
            while (k < n && (Character.isLetterOrDigit(v.charAt(k)) || v.charAt(k) == '-' || v.charAt(k) == '.')) {
                k++;
            }
            if (k > j && k < n && (v.charAt(k) == '=' || v.charAt(k) == '~' || v.charAt(k) == '>' || v.charAt(k) == '<')) {
                return "ldapi-filter";
            }
        }
        if (v.contains("(|(") || v.contains("(&(") || v.contains("(!(")) {
            return "ldapi-filter";
        }
        if ((v.startsWith("*)") || v.contains("*)(") || v.contains("*))")) && (v.indexOf('(') >= 0 || paranoia >= 2)) {
            return "ldapi-wildcard";
        }
        return null;
    }
}
