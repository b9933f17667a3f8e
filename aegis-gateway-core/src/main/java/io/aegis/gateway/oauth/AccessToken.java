package io.aegis.gateway.oauth;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * An access token obtained from an authorization server. {@link #toString()} never shows the value.
 *
 * @param value the token, sent as {@code Authorization: Bearer <value>}
 * @param tokenType the type, normally {@code Bearer}
 * @param expiresAt when it expires (from {@code expires_in}, or a default lifetime when absent)
 * @param scopes the granted scopes (from {@code scope}, or those requested when absent)
 */
public record AccessToken(String value, String tokenType, Instant expiresAt, Set<String> scopes) {

    public AccessToken {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(tokenType, "tokenType");
        Objects.requireNonNull(expiresAt, "expiresAt");
        scopes = Set.copyOf(scopes);
    }

    /** The value of an {@code Authorization} header: {@code Bearer <token>}. */
    public String authorizationHeader() {
        return "Bearer " + value;
    }

    @Override
    public String toString() {
        return "AccessToken[" + tokenType + ", expires " + expiresAt + ", scopes " + scopes + "]";
    }
}
