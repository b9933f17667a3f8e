package io.aegis.gateway.policy;

import java.util.Locale;

/**
 * The service tier of a caller. Tiers choose rate limits and quotas, and the order in which
 * traffic is shed under load (free first, enterprise last).
 */
public enum Tier {
    FREE,
    PREMIUM,
    ENTERPRISE;

    /** The lower-case name used in tokens and configuration: {@code free}, {@code premium}, {@code enterprise}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a tier name, ignoring case.
     *
     * @throws IllegalArgumentException for an unknown name, naming the accepted ones
     */
    public static Tier parse(String value) {
        if (value != null) {
            for (Tier t : values()) {
                if (t.name().equalsIgnoreCase(value.trim())) {
                    return t;
                }
            }
        }
        throw new IllegalArgumentException("tier: " + value + " (expected: free, premium or enterprise)");
    }

    /** Parses a tier name, answering {@code fallback} for {@code null} or an unknown name. */
    public static Tier parseOr(String value, Tier fallback) {
        if (value == null) {
            return fallback;
        }
        String v = value.trim();
        for (Tier t : values()) {
            if (t.name().equalsIgnoreCase(v)) {
                return t;
            }
        }
        return fallback;
    }
}
