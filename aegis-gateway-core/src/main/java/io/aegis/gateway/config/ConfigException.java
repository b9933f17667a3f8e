package io.aegis.gateway.config;

/**
 * A configuration value that breaks a rule. The message names the key, the value (masked for
 * secrets) and the rule, e.g. {@code aegis.http.port='http' (expected: a whole number 1..65535)}.
 * Thrown at start-up (which then fails) and by a reload (which then keeps the last good
 * configuration).
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigException(String key, String value, String rule) {
        this(key, value, rule, null);
    }

    public ConfigException(String key, String value, String rule, Throwable cause) {
        super(key + (value == null ? "" : "='" + (isSecret(key) ? "****" : value) + "'") + " (" + rule + ")", cause);
        this.key = key;
    }

    /** The offending key. */
    public String key() {
        return key;
    }

    static boolean isSecret(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("secret") || k.contains("password") || k.contains("api-key") && !k.endsWith("header")
                || k.endsWith(".token") || k.contains("pepper");
    }
}
