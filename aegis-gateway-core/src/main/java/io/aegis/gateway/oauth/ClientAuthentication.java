package io.aegis.gateway.oauth;

import java.util.Locale;

/** How a client authenticates to the authorization server (RFC 6749 §2.3.1). */
public enum ClientAuthentication {
    /** HTTP Basic with the form-encoded client id and secret (the default). */
    CLIENT_SECRET_BASIC,
    /** {@code client_id} and {@code client_secret} in the form body. */
    CLIENT_SECRET_POST,
    /** A public client: only {@code client_id} in the body (authorization code with PKCE). */
    NONE;

    /**
     * Parses {@code client_secret_basic}, {@code client-secret-post}, {@code basic}, {@code post} or {@code none}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static ClientAuthentication parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (v) {
            case "client_secret_basic", "basic" -> CLIENT_SECRET_BASIC;
            case "client_secret_post", "post" -> CLIENT_SECRET_POST;
            case "none" -> NONE;
            default -> throw new IllegalArgumentException("client authentication: " + value
                    + " (expected: client_secret_basic, client_secret_post or none)");
        };
    }
}
