package io.aegis.gateway.oauth;

import java.util.Objects;

/**
 * A token endpoint's answer to an authorization-code or refresh grant. {@link #toString()} shows no token.
 *
 * @param accessToken the access token
 * @param refreshToken the refresh token, or {@code null} when none was issued
 * @param idToken the OpenID Connect ID token, or {@code null}
 */
public record TokenResponse(AccessToken accessToken, String refreshToken, String idToken) {

    public TokenResponse {
        Objects.requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
        return "TokenResponse[" + accessToken + (refreshToken == null ? "" : ", refresh token")
                + (idToken == null ? "" : ", id token") + "]";
    }
}
