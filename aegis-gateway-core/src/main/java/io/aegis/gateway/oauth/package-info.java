/**
 * OAuth 2.0: the resource server's token introspection (RFC 7662,
 * {@link io.aegis.gateway.oauth.IntrospectionAuthenticator}) and the client side: client
 * credentials for service-to-service calls ({@link io.aegis.gateway.oauth.ClientCredentialsTokenProvider})
 * and browser logins by authorization code with PKCE ({@link io.aegis.gateway.oauth.AuthorizationCodeFlow}).
 * See {@code docs/oauth2.md}.
 */
package io.aegis.gateway.oauth;
