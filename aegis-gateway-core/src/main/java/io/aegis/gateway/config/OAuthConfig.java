package io.aegis.gateway.config;

import io.aegis.gateway.oauth.ClientAuthentication;
import io.aegis.gateway.oauth.IntrospectionSettings;
import io.aegis.gateway.oauth.OAuthClientRegistration;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * Reads OAuth 2.0 settings: token introspection ({@code aegis.auth.introspection.*}) and client
 * registrations ({@code aegis.oauth.clients.<name>.*}). Keys and defaults are listed in
 * {@code docs/configuration.md}.
 */
public final class OAuthConfig {

    private OAuthConfig() {
    }

    /**
     * The introspection settings, or {@code null} when {@code aegis.auth.introspection.uri} is not set.
     *
     * @throws ConfigException naming the first invalid key
     */
    public static IntrospectionSettings introspection(AegisConfig c) {
        String p = "aegis.auth.introspection.";
        Optional<String> uri = c.string(p + "uri");
        if (uri.isEmpty()) {
            return null;
        }
        String clientId = c.string(p + "client-id").orElseThrow(() -> new ConfigException(p + "client-id", null,
                "expected: this resource server's client id when " + p + "uri is set"));
        String secret = secret(c, p + "client-secret", p + "client-secret-file").orElseThrow(() -> new ConfigException(
                p + "client-secret", null, "expected: the client secret (or " + p + "client-secret-file) when " + p + "uri is set"));
        IntrospectionSettings.Builder b = c.parse(p + "uri", v -> IntrospectionSettings.builder(URI.create(v), clientId, secret))
                .orElseThrow();
        c.parse(p + "client-auth", v -> b.authentication(ClientAuthentication.parse(v)));
        duration(c, p + "timeout", b::timeout);
        b.cacheMaxEntries(c.integer(p + "cache.max-entries", 10_000, 0, 10_000_000));
        duration(c, p + "cache.max-ttl", b::cacheMaxTtl);
        duration(c, p + "cache.inactive-ttl", b::inactiveTtl);
        duration(c, p + "clock-skew", b::clockSkew);
        b.maxTokenSize(c.integer(p + "max-token-size", 4096, 16, 1 << 20));
        c.string(p + "issuer").ifPresent(b::issuer);
        b.audiences(new LinkedHashSet<>(c.list(p + "audiences")));
        c.string(p + "tenant-claim").ifPresent(b::tenantClaim);
        c.string(p + "tier-claim").ifPresent(b::tierClaim);
        return b.build();
    }

    /**
     * The client registrations, in name order (empty when none).
     *
     * @throws ConfigException naming the first invalid key
     */
    public static List<OAuthClientRegistration> clients(AegisConfig c) {
        List<OAuthClientRegistration> out = new ArrayList<>();
        for (String name : c.childNames("aegis.oauth.clients")) {
            String p = "aegis.oauth.clients." + name + ".";
            String clientId = c.string(p + "client-id").orElseThrow(() -> new ConfigException(p + "client-id", null,
                    "expected: the client id issued by the authorization server"));
            OAuthClientRegistration.Builder b = c.parse(p + "client-id", v -> OAuthClientRegistration.builder(name, v))
                    .orElseThrow();
            secret(c, p + "client-secret", p + "client-secret-file").ifPresent(b::clientSecret);
            c.parse(p + "client-auth", v -> b.authentication(ClientAuthentication.parse(v)));
            String tokenKey = p + "token-uri";
            if (c.string(tokenKey).isEmpty()) {
                throw new ConfigException(tokenKey, null, "expected: the token endpoint of client " + name);
            }
            c.parse(tokenKey, v -> b.tokenUri(URI.create(v)));
            c.parse(p + "authorization-uri", v -> b.authorizationUri(URI.create(v)));
            c.parse(p + "redirect-uri", v -> b.redirectUri(URI.create(v)));
            List<String> scopes = c.list(p + "scopes");
            c.parse(p + "scopes", v -> b.scopes(scopes));
            c.string(p + "audience").ifPresent(b::audience);
            duration(c, p + "timeout", b::timeout);
            duration(c, p + "refresh-before", b::refreshBefore);
            duration(c, p + "default-lifetime", b::defaultLifetime);
            try {
                out.add(b.build());
            } catch (IllegalArgumentException e) {
                throw new ConfigException("aegis.oauth.clients." + name, null, e.getMessage());
            }
        }
        return out;
    }

    private static Optional<String> secret(AegisConfig c, String key, String fileKey) {
        Optional<String> v = c.string(key);
        Optional<String> f = c.string(fileKey);
        if (v.isPresent() && f.isPresent()) {
            throw new ConfigException(fileKey, null, "expected: one of " + key + " and " + fileKey + ", but both are set");
        }
        return v.isPresent() ? v : f.map(path -> PolicyConfig.read(fileKey, path).strip());
    }

    private static void duration(AegisConfig c, String key, java.util.function.Consumer<Duration> setter) {
        Duration d = c.duration(key, null);
        if (d == null) {
            return;
        }
        try {
            setter.accept(d);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, c.string(key).orElse(""), e.getMessage(), e);
        }
    }
}
