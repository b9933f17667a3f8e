package io.aegis.gateway.oauth;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How opaque bearer tokens are verified by RFC 7662 token introspection.
 *
 * <p>Defaults: {@code client_secret_basic}; 2 s timeout (connect and answer); up to 10,000 answers
 * cached, each until the token's {@code exp} and at most 5 min; inactive answers cached 30 s;
 * 30 s clock skew; tokens longer than 4 KiB refused unasked; issuer and audience not checked
 * unless configured; scopes from {@code scope}, tenant from {@code tenant}, tier from {@code tier}.
 *
 * <p>Immutable and thread-safe; build with {@link #builder(URI, String, String)}.
 */
public final class IntrospectionSettings {

    private final URI endpoint;
    private final String clientId;
    private final String clientSecret;
    private final ClientAuthentication authentication;
    private final Duration timeout;
    private final int cacheMaxEntries;
    private final Duration cacheMaxTtl;
    private final Duration inactiveTtl;
    private final Duration clockSkew;
    private final int maxTokenSize;
    private final String issuer;
    private final Set<String> audiences;
    private final String tenantClaim;
    private final String tierClaim;

    private IntrospectionSettings(Builder b) {
        this.endpoint = b.endpoint;
        this.clientId = b.clientId;
        this.clientSecret = b.clientSecret;
        this.authentication = b.authentication;
        this.timeout = b.timeout;
        this.cacheMaxEntries = b.cacheMaxEntries;
        this.cacheMaxTtl = b.cacheMaxTtl;
        this.inactiveTtl = b.inactiveTtl;
        this.clockSkew = b.clockSkew;
        this.maxTokenSize = b.maxTokenSize;
        this.issuer = b.issuer;
        this.audiences = Set.copyOf(b.audiences);
        this.tenantClaim = b.tenantClaim;
        this.tierClaim = b.tierClaim;
    }

    /**
     * @param endpoint the introspection endpoint (http or https)
     * @param clientId this resource server's client id at the authorization server
     * @param clientSecret its secret
     */
    public static Builder builder(URI endpoint, String clientId, String clientSecret) {
        return new Builder(endpoint, clientId, clientSecret);
    }

    public URI endpoint() {
        return endpoint;
    }

    public String clientId() {
        return clientId;
    }

    public String clientSecret() {
        return clientSecret;
    }

    public ClientAuthentication authentication() {
        return authentication;
    }

    public Duration timeout() {
        return timeout;
    }

    public int cacheMaxEntries() {
        return cacheMaxEntries;
    }

    /** The longest an active answer is cached (never beyond the token's {@code exp}). */
    public Duration cacheMaxTtl() {
        return cacheMaxTtl;
    }

    /** How long an inactive answer is cached. */
    public Duration inactiveTtl() {
        return inactiveTtl;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public int maxTokenSize() {
        return maxTokenSize;
    }

    /** The required {@code iss} of answers, or {@code null}. */
    public String issuer() {
        return issuer;
    }

    /** Accepted {@code aud} values; empty: not checked. */
    public Set<String> audiences() {
        return audiences;
    }

    public String tenantClaim() {
        return tenantClaim;
    }

    public String tierClaim() {
        return tierClaim;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IntrospectionSettings s && s.endpoint.equals(endpoint) && s.clientId.equals(clientId)
                && s.clientSecret.equals(clientSecret) && s.authentication == authentication && s.timeout.equals(timeout)
                && s.cacheMaxEntries == cacheMaxEntries && s.cacheMaxTtl.equals(cacheMaxTtl)
                && s.inactiveTtl.equals(inactiveTtl) && s.clockSkew.equals(clockSkew) && s.maxTokenSize == maxTokenSize
                && Objects.equals(s.issuer, issuer) && s.audiences.equals(audiences)
                && s.tenantClaim.equals(tenantClaim) && s.tierClaim.equals(tierClaim);
    }

    @Override
    public int hashCode() {
        return Objects.hash(endpoint, clientId);
    }

    @Override
    public String toString() {
        return "IntrospectionSettings[" + endpoint + ", client " + clientId + ", secret ****]";
    }

    /** Builds {@link IntrospectionSettings}. Not thread-safe. */
    public static final class Builder {
        private final URI endpoint;
        private final String clientId;
        private final String clientSecret;
        private ClientAuthentication authentication = ClientAuthentication.CLIENT_SECRET_BASIC;
        private Duration timeout = Duration.ofSeconds(2);
        private int cacheMaxEntries = 10_000;
        private Duration cacheMaxTtl = Duration.ofMinutes(5);
        private Duration inactiveTtl = Duration.ofSeconds(30);
        private Duration clockSkew = Duration.ofSeconds(30);
        private int maxTokenSize = 4096;
        private String issuer;
        private final Set<String> audiences = new LinkedHashSet<>();
        private String tenantClaim = "tenant";
        private String tierClaim = "tier";

        private Builder(URI endpoint, String clientId, String clientSecret) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme()) || endpoint.getHost() == null) {
                throw new IllegalArgumentException("endpoint: " + endpoint + " (expected: an absolute http or https URI)");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("clientId: " + clientId + " (expected: this resource server's client id)");
            }
            if (clientSecret == null || clientSecret.isEmpty()) {
                throw new IllegalArgumentException("clientSecret: none (expected: the secret of client " + clientId + ")");
            }
            this.endpoint = endpoint;
            this.clientId = clientId;
            this.clientSecret = clientSecret;
        }

        /** {@code client_secret_basic} (default) or {@code client_secret_post}. */
        public Builder authentication(ClientAuthentication authentication) {
            if (authentication == ClientAuthentication.NONE) {
                throw new IllegalArgumentException("authentication: none (expected: client_secret_basic or client_secret_post; "
                        + "introspection requires an authenticated client)");
            }
            this.authentication = Objects.requireNonNull(authentication, "authentication");
            return this;
        }

        public Builder timeout(Duration d) {
            this.timeout = between("timeout", d, Duration.ofMillis(100), Duration.ofSeconds(30));
            return this;
        }

        public Builder cacheMaxEntries(int n) {
            if (n < 0 || n > 10_000_000) {
                throw new IllegalArgumentException("cacheMaxEntries: " + n + " (expected: 0..10000000)");
            }
            this.cacheMaxEntries = n;
            return this;
        }

        public Builder cacheMaxTtl(Duration d) {
            this.cacheMaxTtl = between("cacheMaxTtl", d, Duration.ZERO, Duration.ofHours(1));
            return this;
        }

        public Builder inactiveTtl(Duration d) {
            this.inactiveTtl = between("inactiveTtl", d, Duration.ZERO, Duration.ofMinutes(10));
            return this;
        }

        public Builder clockSkew(Duration d) {
            this.clockSkew = between("clockSkew", d, Duration.ZERO, Duration.ofMinutes(10));
            return this;
        }

        public Builder maxTokenSize(int n) {
            if (n < 16 || n > 1 << 20) {
                throw new IllegalArgumentException("maxTokenSize: " + n + " (expected: 16..1048576)");
            }
            this.maxTokenSize = n;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder audiences(Set<String> audiences) {
            this.audiences.clear();
            this.audiences.addAll(audiences);
            return this;
        }

        public Builder tenantClaim(String claim) {
            this.tenantClaim = Objects.requireNonNull(claim, "tenantClaim");
            return this;
        }

        public Builder tierClaim(String claim) {
            this.tierClaim = Objects.requireNonNull(claim, "tierClaim");
            return this;
        }

        public IntrospectionSettings build() {
            return new IntrospectionSettings(this);
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
