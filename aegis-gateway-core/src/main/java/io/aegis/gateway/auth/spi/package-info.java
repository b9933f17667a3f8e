/**
 * Service-provider interfaces of authentication: implement {@link io.aegis.gateway.auth.spi.Authenticator}
 * to accept a new kind of credential. Nothing here depends on internal packages.
 */
package io.aegis.gateway.auth.spi;
