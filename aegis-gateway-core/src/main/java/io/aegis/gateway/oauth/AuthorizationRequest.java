package io.aegis.gateway.oauth;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A started authorization-code login: where to send the browser, and what the callback must match.
 * Keep it server-side (the flow does, or the application's session); only {@link #uri()} goes to
 * the browser. {@link #toString()} hides the verifier.
 *
 * @param uri the authorization URL to redirect the browser to
 * @param state the opaque {@code state} value the callback must carry back (CSRF protection)
 * @param codeVerifier the PKCE verifier (RFC 7636), sent with the code exchange
 * @param redirectUri the redirect URI, sent again with the code exchange
 * @param scopes the scopes asked for
 * @param createdAt when the login started
 */
public record AuthorizationRequest(URI uri, String state, String codeVerifier, URI redirectUri, Set<String> scopes,
                                   Instant createdAt) {

    public AuthorizationRequest {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(codeVerifier, "codeVerifier");
        Objects.requireNonNull(redirectUri, "redirectUri");
        scopes = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(scopes));
        Objects.requireNonNull(createdAt, "createdAt");
    }

    @Override
    public String toString() {
        return "AuthorizationRequest[" + uri.getHost() + ", scopes " + scopes + ", created " + createdAt + "]";
    }
}
