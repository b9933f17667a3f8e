/**
 * Internals of API versioning: path handling, header syntax, usage counters.
 * <strong>Not API:</strong> anything here may change at any time without notice.
 */
package io.aegis.gateway.versioning.internal;
