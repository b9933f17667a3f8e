/**
 * Internal machinery of JWT verification: strict token parsing, key sources, caches.
 * <strong>Not API:</strong> anything here may change at any time without notice.
 */
package io.aegis.gateway.auth.jwt.internal;
