package io.aegis.gateway.oauth;

/**
 * Supplies a valid access token for outbound calls, obtaining and refreshing it as needed. An
 * outbound client asks for a token per call ({@code request.header("Authorization",
 * provider.accessToken().authorizationHeader())}); the provider answers from its cache until the
 * token is about to expire.
 *
 * <p>Implementations are thread-safe.
 */
public interface AccessTokenProvider {

    /**
     * A token valid now (cached, or freshly obtained).
     *
     * @throws OAuthException when no valid token can be obtained, with the server's error code
     */
    AccessToken accessToken();

    /** Forgets the cached token (e.g. after the resource server answered 401), so the next call fetches one. */
    void invalidate();
}
