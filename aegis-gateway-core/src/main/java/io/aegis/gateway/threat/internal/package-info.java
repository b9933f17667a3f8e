/** Ban stores and per-client statistics. Internal: may change at any time without notice. */
package io.aegis.gateway.threat.internal;
