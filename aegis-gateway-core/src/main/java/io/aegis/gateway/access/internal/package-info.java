/**
 * Implementations behind access control (the MaxMind database reader). Internal: may change at any
 * time without notice.
 */
package io.aegis.gateway.access.internal;
