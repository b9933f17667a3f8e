package io.aegis.gateway.auth.jwt;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * How JWT bearer tokens are verified and mapped to a principal.
 *
 * <p>Defaults: algorithms RS256/384/512, PS256/384/512, ES256/384/512 and EdDSA (HS256/384/512
 * instead when the key source is a secret); clock skew 30 s; maximum token size 8 KiB;
 * {@code exp} required; no {@code typ} required; scopes from {@code scope} (space-separated) and
 * {@code scp} (array or string); roles from {@code roles} and {@code groups}; tenant from
 * {@code tenant}; tier from {@code tier} (default free); JWKS refreshed every 5 min, refetched on
 * an unknown {@code kid} at most every 15 s, fetched with a 2 s timeout; up to 10,000 verified
 * tokens cached, each at most until its {@code exp} and never longer than 10 min.
 *
 * <p>Immutable and thread-safe; build with {@link #builder(JwtKeySource)}.
 */
public final class JwtSettings {

    /** Every asymmetric algorithm the library verifies. */
    public static final Set<String> ASYMMETRIC = Set.of(
            "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
    /** The HMAC algorithms, accepted only with an explicitly configured secret. */
    public static final Set<String> HMAC = Set.of("HS256", "HS384", "HS512");

    private final JwtKeySource keySource;
    private final String issuer;
    private final Set<String> audiences;
    private final Set<String> algorithms;
    private final Duration clockSkew;
    private final int maxTokenSize;
    private final String requiredType;
    private final boolean requireExpiration;
    private final List<String> scopeClaims;
    private final List<String> roleClaims;
    private final String tenantClaim;
    private final String tierClaim;
    private final Duration jwksRefreshInterval;
    private final Duration jwksMinRefetchInterval;
    private final Duration jwksTimeout;
    private final int cacheMaxEntries;
    private final Duration cacheMaxTtl;

    private JwtSettings(Builder b) {
        this.keySource = b.keySource;
        this.issuer = b.issuer;
        this.audiences = Set.copyOf(b.audiences);
        this.algorithms = b.algorithms != null ? Set.copyOf(b.algorithms) : defaultAlgorithms(b.keySource);
        this.clockSkew = b.clockSkew;
        this.maxTokenSize = b.maxTokenSize;
        this.requiredType = b.requiredType;
        this.requireExpiration = b.requireExpiration;
        this.scopeClaims = List.copyOf(b.scopeClaims);
        this.roleClaims = List.copyOf(b.roleClaims);
        this.tenantClaim = b.tenantClaim;
        this.tierClaim = b.tierClaim;
        this.jwksRefreshInterval = b.jwksRefreshInterval;
        this.jwksMinRefetchInterval = b.jwksMinRefetchInterval;
        this.jwksTimeout = b.jwksTimeout;
        this.cacheMaxEntries = b.cacheMaxEntries;
        this.cacheMaxTtl = b.cacheMaxTtl;
    }

    public static Builder builder(JwtKeySource keySource) {
        return new Builder(keySource);
    }

    private static Set<String> defaultAlgorithms(JwtKeySource source) {
        if (source.kind() == JwtKeySource.Kind.SECRET) {
            int bits = source.secret().length * 8;
            Set<String> s = new LinkedHashSet<>();
            s.add("HS256");
            if (bits >= 384) {
                s.add("HS384");
            }
            if (bits >= 512) {
                s.add("HS512");
            }
            return Set.copyOf(s);
        }
        return ASYMMETRIC;
    }

    public JwtKeySource keySource() {
        return keySource;
    }

    /** The required {@code iss}, or {@code null} when any issuer is accepted (not recommended). */
    public String issuer() {
        return issuer;
    }

    /** Accepted audiences; a token's {@code aud} must name one. Empty: {@code aud} is not checked. */
    public Set<String> audiences() {
        return audiences;
    }

    /** The {@code alg} values accepted. Never {@code none}. */
    public Set<String> algorithms() {
        return algorithms;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    /** Tokens longer than this (in characters) are rejected without parsing. */
    public int maxTokenSize() {
        return maxTokenSize;
    }

    /** The required {@code typ} header (e.g. {@code at+jwt}, RFC 9068), or {@code null}. */
    public String requiredType() {
        return requiredType;
    }

    public boolean requireExpiration() {
        return requireExpiration;
    }

    public List<String> scopeClaims() {
        return scopeClaims;
    }

    /** Claim paths holding roles, dot-separated for nested objects (e.g. {@code realm_access.roles}). */
    public List<String> roleClaims() {
        return roleClaims;
    }

    public String tenantClaim() {
        return tenantClaim;
    }

    public String tierClaim() {
        return tierClaim;
    }

    public Duration jwksRefreshInterval() {
        return jwksRefreshInterval;
    }

    public Duration jwksMinRefetchInterval() {
        return jwksMinRefetchInterval;
    }

    public Duration jwksTimeout() {
        return jwksTimeout;
    }

    public int cacheMaxEntries() {
        return cacheMaxEntries;
    }

    public Duration cacheMaxTtl() {
        return cacheMaxTtl;
    }

    public Builder toBuilder() {
        Builder b = new Builder(keySource);
        b.issuer = issuer;
        b.audiences = audiences;
        b.algorithms = algorithms;
        b.clockSkew = clockSkew;
        b.maxTokenSize = maxTokenSize;
        b.requiredType = requiredType;
        b.requireExpiration = requireExpiration;
        b.scopeClaims = scopeClaims;
        b.roleClaims = roleClaims;
        b.tenantClaim = tenantClaim;
        b.tierClaim = tierClaim;
        b.jwksRefreshInterval = jwksRefreshInterval;
        b.jwksMinRefetchInterval = jwksMinRefetchInterval;
        b.jwksTimeout = jwksTimeout;
        b.cacheMaxEntries = cacheMaxEntries;
        b.cacheMaxTtl = cacheMaxTtl;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JwtSettings s && s.keySource.equals(keySource) && Objects.equals(s.issuer, issuer)
                && s.audiences.equals(audiences) && s.algorithms.equals(algorithms) && s.clockSkew.equals(clockSkew)
                && s.maxTokenSize == maxTokenSize && Objects.equals(s.requiredType, requiredType)
                && s.requireExpiration == requireExpiration && s.scopeClaims.equals(scopeClaims)
                && s.roleClaims.equals(roleClaims) && s.tenantClaim.equals(tenantClaim) && s.tierClaim.equals(tierClaim)
                && s.jwksRefreshInterval.equals(jwksRefreshInterval)
                && s.jwksMinRefetchInterval.equals(jwksMinRefetchInterval) && s.jwksTimeout.equals(jwksTimeout)
                && s.cacheMaxEntries == cacheMaxEntries && s.cacheMaxTtl.equals(cacheMaxTtl);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keySource, issuer, audiences, algorithms);
    }

    @Override
    public String toString() {
        return "JwtSettings[" + keySource + ", issuer " + issuer + ", audiences " + audiences
                + ", algorithms " + algorithms + "]";
    }

    /** Builds {@link JwtSettings}. Not thread-safe. */
    public static final class Builder {
        private final JwtKeySource keySource;
        private String issuer;
        private Set<String> audiences = Set.of();
        private Set<String> algorithms;
        private Duration clockSkew = Duration.ofSeconds(30);
        private int maxTokenSize = 8 * 1024;
        private String requiredType;
        private boolean requireExpiration = true;
        private List<String> scopeClaims = List.of("scope", "scp");
        private List<String> roleClaims = List.of("roles", "groups");
        private String tenantClaim = "tenant";
        private String tierClaim = "tier";
        private Duration jwksRefreshInterval = Duration.ofMinutes(5);
        private Duration jwksMinRefetchInterval = Duration.ofSeconds(15);
        private Duration jwksTimeout = Duration.ofSeconds(2);
        private int cacheMaxEntries = 10_000;
        private Duration cacheMaxTtl = Duration.ofMinutes(10);

        private Builder(JwtKeySource keySource) {
            this.keySource = Objects.requireNonNull(keySource, "keySource");
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer == null || issuer.isBlank() ? null : issuer;
            return this;
        }

        public Builder audiences(Set<String> audiences) {
            this.audiences = Set.copyOf(audiences);
            return this;
        }

        public Builder audiences(String... audiences) {
            return audiences(Set.of(audiences));
        }

        /**
         * The accepted {@code alg} values.
         *
         * @throws IllegalArgumentException for {@code none}, an unknown algorithm, or an HMAC
         *     algorithm without a secret key source (or an asymmetric one with a secret)
         */
        public Builder algorithms(Set<String> algorithms) {
            if (algorithms.isEmpty()) {
                throw new IllegalArgumentException("algorithms: [] (expected: at least one)");
            }
            for (String a : algorithms) {
                if (a.toLowerCase(Locale.ROOT).equals("none")) {
                    throw new IllegalArgumentException("algorithms: none (expected: a signing algorithm; unsecured tokens are never accepted)");
                }
                boolean hmac = HMAC.contains(a);
                if (!hmac && !ASYMMETRIC.contains(a)) {
                    throw new IllegalArgumentException("algorithms: " + a + " (expected: one of " + ASYMMETRIC + " or " + HMAC + ")");
                }
                if (hmac != (keySource.kind() == JwtKeySource.Kind.SECRET)) {
                    throw new IllegalArgumentException("algorithms: " + a + " (expected: "
                            + (hmac ? "HMAC only with an explicitly configured secret" : "asymmetric algorithms only with public keys") + ")");
                }
                // RFC 7518 §3.2: the key must be at least as long as the hash; a shorter one verifies nothing.
                int needed = hmac ? Integer.parseInt(a.substring(2)) : 0;
                int bits = hmac ? keySource.secret().length * 8 : 0;
                if (bits < needed) {
                    throw new IllegalArgumentException("algorithms: " + a + " (expected: a secret of at least "
                            + needed + " bits; the configured one has " + bits + ")");
                }
            }
            this.algorithms = Set.copyOf(algorithms);
            return this;
        }

        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("clock-skew: " + skew + " (expected: 0 to 10 minutes)");
            }
            this.clockSkew = skew;
            return this;
        }

        public Builder maxTokenSize(int bytes) {
            if (bytes < 256 || bytes > 1 << 20) {
                throw new IllegalArgumentException("max-token-size: " + bytes + " (expected: 256 to 1048576)");
            }
            this.maxTokenSize = bytes;
            return this;
        }

        /** Requires this {@code typ} header (compared ignoring case and an {@code application/} prefix). */
        public Builder requiredType(String type) {
            this.requiredType = type == null || type.isBlank() ? null : type;
            return this;
        }

        public Builder requireExpiration(boolean require) {
            this.requireExpiration = require;
            return this;
        }

        public Builder scopeClaims(List<String> claims) {
            this.scopeClaims = List.copyOf(claims);
            return this;
        }

        public Builder roleClaims(List<String> claims) {
            this.roleClaims = List.copyOf(claims);
            return this;
        }

        public Builder tenantClaim(String claim) {
            this.tenantClaim = Objects.requireNonNull(claim, "claim");
            return this;
        }

        public Builder tierClaim(String claim) {
            this.tierClaim = Objects.requireNonNull(claim, "claim");
            return this;
        }

        public Builder jwksRefreshInterval(Duration d) {
            this.jwksRefreshInterval = positive("jwks.refresh-interval", d);
            return this;
        }

        /**
         * The least time between two fetches caused by unknown key ids; a rotated key is picked up
         * within it.
         */
        public Builder jwksMinRefetchInterval(Duration d) {
            if (d.isNegative() || d.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("jwks.min-refetch-interval: " + d
                        + " (expected: 0 to 30s, so that a rotated key works within half a minute)");
            }
            this.jwksMinRefetchInterval = d;
            return this;
        }

        public Builder jwksTimeout(Duration d) {
            this.jwksTimeout = positive("jwks.timeout", d);
            return this;
        }

        public Builder cacheMaxEntries(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("cache.max-entries: " + n + " (expected: >= 0)");
            }
            this.cacheMaxEntries = n;
            return this;
        }

        public Builder cacheMaxTtl(Duration d) {
            this.cacheMaxTtl = positive("cache.max-ttl", d);
            return this;
        }

        private static Duration positive(String name, Duration d) {
            if (d == null || d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
            }
            return d;
        }

        public JwtSettings build() {
            if (jwksRefreshInterval.compareTo(jwksMinRefetchInterval) < 0) {
                throw new IllegalArgumentException("jwks.refresh-interval: " + jwksRefreshInterval
                        + " (expected: >= jwks.min-refetch-interval " + jwksMinRefetchInterval + ")");
            }
            return new JwtSettings(this);
        }
    }
}
