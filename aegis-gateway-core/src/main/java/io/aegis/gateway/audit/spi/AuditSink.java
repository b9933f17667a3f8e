package io.aegis.gateway.audit.spi;

import io.aegis.gateway.audit.AuditEvent;

/**
 * Where audit events go. The default writes one JSON line per event through the logging system
 * (logger {@code aegis.audit}); others ship them to a SIEM, a database or a queue.
 *
 * <p>Called synchronously on the thread that observed the event, often a request thread: keep it
 * quick and hand slow work to a queue. Implementations are thread-safe; exceptions are logged and
 * ignored.
 */
@FunctionalInterface
public interface AuditSink {

    /** Records one event (already masked). */
    void write(AuditEvent event);
}
