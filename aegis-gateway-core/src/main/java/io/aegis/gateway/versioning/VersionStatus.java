package io.aegis.gateway.versioning;

import java.util.Locale;

/**
 * Where an API version is in its lifecycle. Derived from the version's dates and the clock
 * ({@link ApiVersion#status(java.time.Instant)}); configuration may force it for emergencies.
 */
public enum VersionStatus {
    /** Served normally. */
    ACTIVE,
    /** Served, with {@code Deprecation}, {@code Sunset} and {@code Link} headers; brownouts may refuse calls. */
    DEPRECATED,
    /** No longer served: every call is answered {@code 410 Gone}. */
    SUNSET;

    /** The lower-case name used in configuration, headers and metrics: {@code active}, {@code deprecated}, {@code sunset}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
