package io.aegis.gateway.audit;

import io.aegis.gateway.audit.spi.AuditSink;
import java.util.Objects;

/**
 * The default sink: each event as one line of JSON at level INFO on a {@link System.Logger}
 * (default name {@code aegis.audit}), so any logging setup (JUL, SLF4J through
 * {@code slf4j-jdk-platform-logging}, Log4j) can route it to its own file. Thread-safe.
 */
public final class LoggingAuditSink implements AuditSink {

    /** The default logger name. */
    public static final String DEFAULT_LOGGER = "aegis.audit";

    private final System.Logger logger;

    public LoggingAuditSink(String loggerName) {
        this.logger = System.getLogger(Objects.requireNonNull(loggerName, "loggerName"));
    }

    @Override
    public void write(AuditEvent event) {
        logger.log(System.Logger.Level.INFO, event.toJson());
    }
}
