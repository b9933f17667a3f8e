/**
 * The security audit log: {@link io.aegis.gateway.audit.AuditEvent} records made from gateway
 * events by {@link io.aegis.gateway.audit.AuditLog}, masked, written to an
 * {@link io.aegis.gateway.audit.spi.AuditSink} (by default one JSON line per event on the logger
 * {@code aegis.audit}).
 */
package io.aegis.gateway.audit;
