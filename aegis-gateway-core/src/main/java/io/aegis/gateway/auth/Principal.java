package io.aegis.gateway.auth;

import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is calling: the authenticated subject with its scopes, roles, tenant and tier, however
 * the credential was presented (JWT, opaque token, API key).
 *
 * <p>Immutable and thread-safe; implements {@link java.security.Principal} so adapters can hand it
 * to the framework's security context unchanged.
 */
public final class Principal implements java.security.Principal {

    private final String subject;
    private final Set<String> scopes;
    private final Set<String> roles;
    private final String tenant;
    private final Tier tier;
    private final AuthScheme scheme;
    private final Instant expiresAt;
    private final String credentialId;
    private final Map<String, Object> claims;

    private Principal(Builder b) {
        this.subject = b.subject;
        this.scopes = Set.copyOf(b.scopes);
        this.roles = Set.copyOf(b.roles);
        this.tenant = b.tenant;
        this.tier = b.tier;
        this.scheme = b.scheme;
        this.expiresAt = b.expiresAt;
        this.credentialId = b.credentialId;
        Map<String, Object> c = new LinkedHashMap<>();
        b.claims.forEach((k, v) -> c.put(k, frozen(v)));
        this.claims = Collections.unmodifiableMap(c);
    }

    /** A read-only deep copy of a claim value: principals are shared (token caches), so nested JSON must not change. */
    private static Object frozen(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, x) -> copy.put(k, frozen(x)));
            return Collections.unmodifiableMap(copy);
        }
        if (v instanceof Set<?> set) {
            Set<Object> copy = new LinkedHashSet<>();
            set.forEach(x -> copy.add(frozen(x)));
            return Collections.unmodifiableSet(copy);
        }
        if (v instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(x -> copy.add(frozen(x)));
            return Collections.unmodifiableList(copy);
        }
        return v;
    }

    /** Starts a principal for a subject, authenticated by {@code scheme}. */
    public static Builder builder(String subject, AuthScheme scheme) {
        return new Builder(subject, scheme);
    }

    /** The subject (JWT {@code sub}, API key owner, ...). */
    public String subject() {
        return subject;
    }

    @Override
    public String getName() {
        return subject;
    }

    public Set<String> scopes() {
        return scopes;
    }

    public Set<String> roles() {
        return roles;
    }

    /** The tenant, or {@code null}. */
    public String tenant() {
        return tenant;
    }

    public Tier tier() {
        return tier;
    }

    /** How the principal authenticated. */
    public AuthScheme scheme() {
        return scheme;
    }

    /** When the credential stops being valid, or {@code null} when it does not expire. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /**
     * An identifier of the credential that is safe to log and to count by (a key id, a token's
     * {@code jti}), or {@code null}. Never the secret itself.
     */
    public String credentialId() {
        return credentialId;
    }

    /** Other claims of the credential, for applications; never used for decisions by the library. */
    public Map<String, Object> claims() {
        return claims;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Principal p && p.subject.equals(subject) && p.scheme == scheme
                && p.scopes.equals(scopes) && p.roles.equals(roles) && Objects.equals(p.tenant, tenant)
                && p.tier == tier && Objects.equals(p.credentialId, credentialId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, scheme, tenant, tier);
    }

    @Override
    public String toString() {
        return "Principal[" + subject + ", " + scheme + ", tier " + tier.id()
                + (tenant == null ? "" : ", tenant " + tenant) + ", scopes " + scopes + ", roles " + roles + "]";
    }

    /** Builds a {@link Principal}. Defaults: no scopes, roles or tenant; tier free. */
    public static final class Builder {
        private final String subject;
        private final AuthScheme scheme;
        private Set<String> scopes = Set.of();
        private Set<String> roles = Set.of();
        private String tenant;
        private Tier tier = Tier.FREE;
        private Instant expiresAt;
        private String credentialId;
        private final Map<String, Object> claims = new LinkedHashMap<>();

        private Builder(String subject, AuthScheme scheme) {
            this.subject = Objects.requireNonNull(subject, "subject");
            this.scheme = Objects.requireNonNull(scheme, "scheme");
        }

        public Builder scopes(Set<String> scopes) {
            this.scopes = Objects.requireNonNull(scopes, "scopes");
            return this;
        }

        public Builder roles(Set<String> roles) {
            this.roles = Objects.requireNonNull(roles, "roles");
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder tier(Tier tier) {
            this.tier = Objects.requireNonNull(tier, "tier");
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder credentialId(String credentialId) {
            this.credentialId = credentialId;
            return this;
        }

        public Builder claim(String name, Object value) {
            if (value != null) {
                claims.put(name, value);
            }
            return this;
        }

        public Principal build() {
            return new Principal(this);
        }
    }
}
