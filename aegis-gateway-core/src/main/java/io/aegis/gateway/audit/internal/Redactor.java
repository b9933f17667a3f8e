package io.aegis.gateway.audit.internal;

import java.util.Locale;

/**
 * Removes secrets from audit values: JWTs, bearer and basic credentials, {@code key=value} pairs
 * whose key names a secret, and long opaque tokens (API keys, hex or base64 secrets). Linear, no
 * regular expressions. A local stand-in until the masking feature's sanitizer is available.
 */
public final class Redactor {

    public static final String MASK = "****";

    private Redactor() {
    }

    /** {@code true} when an attribute of this name carries a secret by its very name. */
    public static boolean secretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.contains("password") || n.contains("passwd") || n.contains("secret") || n.equals("token")
                || n.endsWith("_token") || n.endsWith("-token") || n.contains("api_key") || n.contains("api-key")
                || n.contains("apikey") || n.equals("authorization") || n.equals("cookie") || n.contains("credential")
                || n.contains("private_key");
    }

    /** The value with every secret replaced by {@value #MASK}. */
    public static String redact(String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int n = value.length();
        int i = 0;
        while (i < n) {
            char c = value.charAt(i);
            if (!isTokenChar(c)) {
                out.append(c);
                i++;
                continue;
            }
            int j = i;
            while (j < n && isTokenChar(value.charAt(j))) {
                j++;
            }
            String word = value.substring(i, j);
            out.append(looksSecret(word) ? MASK : maskAssignment(word));
            // "Bearer <token>" / "Basic <credentials>": the next word is the secret
            String lower = word.toLowerCase(Locale.ROOT);
            if ((lower.equals("bearer") || lower.equals("basic")) && j < n && value.charAt(j) == ' ') {
                int k = j + 1;
                while (k < n && isTokenChar(value.charAt(k))) {
                    k++;
                }
                if (k > j + 1) {
                    out.append(' ').append(MASK);
                    j = k;
                }
            }
            i = j;
        }
        return out.toString();
    }

    private static String maskAssignment(String word) {
        int eq = word.indexOf('=');
        if (eq > 0 && secretName(word.substring(0, eq))) {
            return word.substring(0, eq + 1) + MASK;
        }
        return word;
    }

    private static boolean looksSecret(String w) {
        if (w.startsWith("eyJ") && w.indexOf('.') > 0) {
            return true; // a JWT or JWS
        }
        if (w.length() < 32 || w.indexOf('=') > 0 && w.indexOf('=') < w.length() - 2) {
            return false;
        }
        int upper = 0;
        int lower = 0;
        int digit = 0;
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                upper++;
            } else if (c >= 'a' && c <= 'z') {
                lower++;
            } else if (c >= '0' && c <= '9') {
                digit++;
            }
        }
        // long runs of mixed letters and digits: keys and tokens, not words or UUIDs' dashed groups
        return digit > 0 && (upper > 0 || lower > 0) && w.indexOf('-') < 0 || digit >= 32;
    }

    private static boolean isTokenChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.'
                || c == '+' || c == '=' || c == '~';
    }
}
