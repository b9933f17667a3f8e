package io.aegis.gateway.audit;

import java.util.Objects;

/**
 * The security audit log: on by default, one JSON line per event on the logger {@code aegis.audit}
 * (or the sink given to the gateway).
 *
 * @param enabled whether events are recorded (default {@code true})
 * @param logger the logger name of the default sink (default {@code aegis.audit})
 */
public record AuditSettings(boolean enabled, String logger) {

    private static final AuditSettings DEFAULTS = new AuditSettings(true, LoggingAuditSink.DEFAULT_LOGGER);

    public AuditSettings {
        Objects.requireNonNull(logger, "logger");
        if (logger.isBlank()) {
            throw new IllegalArgumentException("logger: '' (expected: a logger name such as aegis.audit)");
        }
    }

    public static AuditSettings defaults() {
        return DEFAULTS;
    }
}
