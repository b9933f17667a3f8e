package io.aegis.gateway.oauth.internal;

import io.aegis.gateway.oauth.AccessToken;
import io.aegis.gateway.oauth.OAuthException;
import io.aegis.gateway.oauth.TokenResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** Reads a successful token response (RFC 6749 §5.1). */
public final class TokenParsing {

    private TokenParsing() {
    }

    /**
     * @throws OAuthException {@code invalid_response} when {@code access_token} is missing or the type is not Bearer
     */
    public static TokenResponse parse(Map<String, Object> body, Instant now, Duration defaultLifetime, Set<String> requested) {
        if (!(body.get("access_token") instanceof String token) || token.isEmpty()) {
            throw new OAuthException("invalid_response", "the token response has no access_token", 200);
        }
        String type = body.get("token_type") instanceof String t ? t : "Bearer";
        if (!type.equalsIgnoreCase("Bearer")) {
            throw new OAuthException("invalid_response", "token_type " + type + " (expected: Bearer)", 200);
        }
        Instant expires = now.plus(defaultLifetime);
        Object e = body.get("expires_in");
        if (e instanceof Number n && n.longValue() > 0) {
            expires = now.plusSeconds(n.longValue());
        } else if (e instanceof String s && s.matches("[0-9]{1,9}")) {
            expires = now.plusSeconds(Long.parseLong(s));
        }
        Set<String> scopes = requested;
        if (body.get("scope") instanceof String s && !s.isBlank()) {
            scopes = new LinkedHashSet<>(Arrays.asList(s.trim().split(" +")));
        }
        return new TokenResponse(new AccessToken(token, "Bearer", expires, scopes),
                body.get("refresh_token") instanceof String r ? r : null,
                body.get("id_token") instanceof String i ? i : null);
    }
}
