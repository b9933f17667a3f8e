package io.aegis.gateway.resilience.spi;

import io.aegis.gateway.resilience.CallContext;
import java.util.Objects;

/**
 * The credential a service presents on its own behalf to an upstream whose identity mode is
 * {@link io.aegis.gateway.resilience.IdentityPropagation#CREDENTIALS} — typically an OAuth 2.0
 * client-credentials access token, fetched and cached by the implementation.
 *
 * <p>Called on every try, on the calling thread: implementations must be thread-safe and quick
 * (serve a cached token, refresh ahead of expiry) and must bound any blocking with a timeout.
 */
public interface OutboundCredentials {

    /**
     * The {@code Authorization} header value for a call to this upstream, e.g. {@code Bearer …}, or
     * {@code null} to send none.
     *
     * @param upstream the upstream's name
     * @param context the context of the call (the caller's principal, for token exchange)
     * @throws RuntimeException when no credential can be had; the call then fails without being sent
     */
    String authorization(String upstream, CallContext context);

    /**
     * Told when the upstream answered 401 to a credential from this source, so a cached token can
     * be dropped. The default does nothing.
     */
    default void rejected(String upstream, String authorization) {
    }

    /** A fixed bearer token (tests, demos, static service tokens). */
    static OutboundCredentials staticToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank() || token.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            throw new IllegalArgumentException("token: expected printable ASCII without spaces");
        }
        String header = "Bearer " + token;
        return new OutboundCredentials() {
            @Override
            public String authorization(String upstream, CallContext context) {
                return header;
            }

            @Override
            public String toString() {
                return "OutboundCredentials[static ****]";
            }
        };
    }
}
