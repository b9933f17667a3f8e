package io.aegis.gateway.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A client application registered with an authorization server: its credentials and endpoints,
 * for the client-credentials grant ({@link ClientCredentialsTokenProvider}) and the authorization
 * code grant with PKCE ({@link AuthorizationCodeFlow}). From configuration:
 * {@code aegis.oauth.clients.<name>.*}.
 *
 * <p>Defaults: {@code client_secret_basic} (or {@code none} without a secret); no scopes; 5 s
 * timeout; tokens refreshed 30 s before they expire; tokens without {@code expires_in} live 5 min.
 *
 * <p>Immutable and thread-safe; build with {@link #builder(String, String)}.
 */
public final class OAuthClientRegistration {

    private final String name;
    private final String clientId;
    private final String clientSecret;
    private final ClientAuthentication authentication;
    private final URI tokenUri;
    private final URI authorizationUri;
    private final URI redirectUri;
    private final Set<String> scopes;
    private final String audience;
    private final Duration timeout;
    private final Duration refreshBefore;
    private final Duration defaultLifetime;

    private OAuthClientRegistration(Builder b) {
        this.name = b.name;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.authentication = b.authentication != null ? b.authentication
                : b.clientSecret == null ? ClientAuthentication.NONE : ClientAuthentication.CLIENT_SECRET_BASIC;
        this.tokenUri = b.tokenUri;
        this.authorizationUri = b.authorizationUri;
        this.redirectUri = b.redirectUri;
        this.scopes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(b.scopes));
        this.audience = b.audience;
        this.timeout = b.timeout;
        this.refreshBefore = b.refreshBefore;
        this.defaultLifetime = b.defaultLifetime;
    }

    /**
     * Starts a registration.
     *
     * @param name the registration's name in this service (letters, digits, hyphens)
     * @param clientId the client id issued by the authorization server
     */
    public static Builder builder(String name, String clientId) {
        return new Builder(name, clientId);
    }

    public String name() {
        return name;
    }

    public String clientId() {
        return clientId;
    }

    /** The secret, or {@code null} for a public client. */
    public String clientSecret() {
        return clientSecret;
    }

    public ClientAuthentication authentication() {
        return authentication;
    }

    public URI tokenUri() {
        return tokenUri;
    }

    /** The authorization endpoint, or {@code null} when the client only uses client credentials. */
    public URI authorizationUri() {
        return authorizationUri;
    }

    /** The redirect URI of the authorization code flow, or {@code null}. */
    public URI redirectUri() {
        return redirectUri;
    }

    /** Scopes requested by default. */
    public Set<String> scopes() {
        return scopes;
    }

    /** The {@code audience} parameter sent with client-credentials requests, or {@code null}. */
    public String audience() {
        return audience;
    }

    /** Timeout of each call to the authorization server. */
    public Duration timeout() {
        return timeout;
    }

    /** How long before expiry a cached token is refreshed. */
    public Duration refreshBefore() {
        return refreshBefore;
    }

    /** The lifetime assumed for tokens answered without {@code expires_in}. */
    public Duration defaultLifetime() {
        return defaultLifetime;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OAuthClientRegistration r && r.name.equals(name) && r.clientId.equals(clientId)
                && Objects.equals(r.clientSecret, clientSecret) && r.authentication == authentication
                && r.tokenUri.equals(tokenUri) && Objects.equals(r.authorizationUri, authorizationUri)
                && Objects.equals(r.redirectUri, redirectUri) && r.scopes.equals(scopes)
                && Objects.equals(r.audience, audience) && r.timeout.equals(timeout)
                && r.refreshBefore.equals(refreshBefore) && r.defaultLifetime.equals(defaultLifetime);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, clientId, tokenUri);
    }

    @Override
    public String toString() {
        return "OAuthClientRegistration[" + name + ", client " + clientId + ", " + authentication.name().toLowerCase(java.util.Locale.ROOT)
                + ", token " + tokenUri + (clientSecret == null ? "" : ", secret ****") + "]";
    }

    /** Builds an {@link OAuthClientRegistration}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final String clientId;
        private String clientSecret;
        private ClientAuthentication authentication;
        private URI tokenUri;
        private URI authorizationUri;
        private URI redirectUri;
        private final Set<String> scopes = new LinkedHashSet<>();
        private String audience;
        private Duration timeout = Duration.ofSeconds(5);
        private Duration refreshBefore = Duration.ofSeconds(30);
        private Duration defaultLifetime = Duration.ofMinutes(5);

        private Builder(String name, String clientId) {
            if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("name: " + name + " (expected: letters, digits and hyphens)");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("clientId: " + clientId + " (expected: the id issued by the authorization server)");
            }
            this.name = name;
            this.clientId = clientId;
        }

        public Builder clientSecret(String secret) {
            this.clientSecret = secret;
            return this;
        }

        /** How the client authenticates (default: basic with a secret, none without). */
        public Builder authentication(ClientAuthentication authentication) {
            this.authentication = authentication;
            return this;
        }

        public Builder tokenUri(URI uri) {
            this.tokenUri = httpUri("tokenUri", uri);
            return this;
        }

        public Builder authorizationUri(URI uri) {
            this.authorizationUri = uri == null ? null : httpUri("authorizationUri", uri);
            return this;
        }

        public Builder redirectUri(URI uri) {
            this.redirectUri = uri == null ? null : httpUri("redirectUri", uri);
            return this;
        }

        public Builder scopes(List<String> scopes) {
            for (String s : scopes) {
                if (s.isBlank() || s.contains(" ")) {
                    throw new IllegalArgumentException("scope: '" + s + "' (expected: no spaces)");
                }
                this.scopes.add(s);
            }
            return this;
        }

        public Builder audience(String audience) {
            this.audience = audience;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = between("timeout", timeout, Duration.ofMillis(100), Duration.ofMinutes(2));
            return this;
        }

        public Builder refreshBefore(Duration d) {
            this.refreshBefore = between("refreshBefore", d, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        public Builder defaultLifetime(Duration d) {
            this.defaultLifetime = between("defaultLifetime", d, Duration.ofSeconds(1), Duration.ofDays(1));
            return this;
        }

        /**
         * @throws IllegalArgumentException without a token URI, or with a secret-based authentication and no secret
         */
        public OAuthClientRegistration build() {
            if (tokenUri == null) {
                throw new IllegalArgumentException("tokenUri: none (expected: the token endpoint of client " + name + ")");
            }
            if (authentication != null && authentication != ClientAuthentication.NONE && clientSecret == null) {
                throw new IllegalArgumentException("clientSecret: none (expected: a secret for " + authentication + ")");
            }
            return new OAuthClientRegistration(this);
        }

        private static URI httpUri(String what, URI uri) {
            Objects.requireNonNull(uri, what);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(what + ": " + uri + " (expected: an absolute http or https URI)");
            }
            return uri;
        }

        private static Duration between(String what, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + ": " + d + " (expected: " + min + ".." + max + ")");
            }
            return d;
        }
    }
}
