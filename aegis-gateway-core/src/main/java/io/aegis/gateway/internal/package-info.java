/**
 * Helpers shared by the core's features. Internal: may change at any time, not for applications.
 */
package io.aegis.gateway.internal;
