/**
 * Service-provider interfaces of API keys: {@link io.aegis.gateway.apikey.spi.ApiKeyStore} (where
 * keys, usage and audit live) and {@link io.aegis.gateway.apikey.spi.InvalidationChannel} (how
 * replicas hear about revocations). Nothing here depends on internal packages.
 */
package io.aegis.gateway.apikey.spi;
