/** Audit internals (secret redaction). Internal: may change at any time without notice. */
package io.aegis.gateway.audit.internal;
