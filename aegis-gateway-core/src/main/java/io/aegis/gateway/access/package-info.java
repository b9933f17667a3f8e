/**
 * Access control by address: IP allow and deny lists (configuration and hot-reloaded files),
 * threat-intelligence feeds, country rules over a MaxMind database
 * ({@link io.aegis.gateway.access.AccessControlPolicy}).
 */
package io.aegis.gateway.access;
