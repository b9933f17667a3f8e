/**
 * The service-provider interface of API versioning: listeners told when clients still use a
 * version close to its sunset. Implementations are registered on the gateway builder or found
 * with {@link java.util.ServiceLoader}.
 */
package io.aegis.gateway.versioning.spi;
