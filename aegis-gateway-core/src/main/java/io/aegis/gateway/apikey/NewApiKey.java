package io.aegis.gateway.apikey;

import io.aegis.gateway.policy.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to create: the owner and what the key may do. Defaults: no name, no tenant, tier free, no
 * scopes, no expiry (or the service's default lifetime), the gateway's key environment.
 *
 * <p>Immutable and thread-safe; build with {@link #builder(String)}.
 */
public final class NewApiKey {

    private final String owner;
    private final String name;
    private final String tenant;
    private final Tier tier;
    private final Set<String> scopes;
    private final Instant expiresAt;
    private final Duration lifetime;

    private NewApiKey(Builder b) {
        this.owner = b.owner;
        this.name = b.name;
        this.tenant = b.tenant;
        this.tier = b.tier;
        this.scopes = Set.copyOf(b.scopes);
        this.expiresAt = b.expiresAt;
        this.lifetime = b.lifetime;
    }

    /**
     * Starts a key for an owner.
     *
     * @param owner 1 to 200 printable characters without spaces
     * @throws IllegalArgumentException when the owner is not acceptable
     */
    public static Builder builder(String owner) {
        return new Builder(owner);
    }

    public String owner() {
        return owner;
    }

    /** The label, or {@code null}. */
    public String name() {
        return name;
    }

    /** The tenant, or {@code null}. */
    public String tenant() {
        return tenant;
    }

    public Tier tier() {
        return tier;
    }

    public Set<String> scopes() {
        return scopes;
    }

    /** A fixed expiry, or {@code null}. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** A lifetime from creation, or {@code null}. */
    public Duration lifetime() {
        return lifetime;
    }

    @Override
    public String toString() {
        return "NewApiKey[" + owner + ", tier " + tier.id() + ", scopes " + scopes + "]";
    }

    /** Builds a {@link NewApiKey}. Not thread-safe. */
    public static final class Builder {
        private final String owner;
        private String name;
        private String tenant;
        private Tier tier = Tier.FREE;
        private final Set<String> scopes = new LinkedHashSet<>();
        private Instant expiresAt;
        private Duration lifetime;

        private Builder(String owner) {
            this.owner = token("owner", owner, 200);
        }

        /** A label (1 to 200 characters, no control characters). */
        public Builder name(String name) {
            if (name != null && (name.isBlank() || name.length() > 200 || name.chars().anyMatch(Character::isISOControl))) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: 1..200 characters, no control characters)");
            }
            this.name = name == null ? null : name.strip();
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant == null ? null : token("tenant", tenant, 200);
            return this;
        }

        public Builder tier(Tier tier) {
            this.tier = Objects.requireNonNull(tier, "tier");
            return this;
        }

        /** Adds scopes (each 1 to 100 printable ASCII characters without spaces). */
        public Builder scopes(Iterable<String> scopes) {
            for (String s : scopes) {
                this.scopes.add(token("scope", s, 100));
            }
            return this;
        }

        public Builder scopes(String... scopes) {
            return scopes(java.util.List.of(scopes));
        }

        /** Expires at this instant (replaces a lifetime). */
        public Builder expiresAt(Instant at) {
            this.expiresAt = at;
            this.lifetime = null;
            return this;
        }

        /**
         * Expires this long after creation (replaces a fixed expiry).
         *
         * @throws IllegalArgumentException when not positive
         */
        public Builder lifetime(Duration lifetime) {
            if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
                throw new IllegalArgumentException("lifetime: " + lifetime + " (expected: positive)");
            }
            this.lifetime = lifetime;
            this.expiresAt = null;
            return this;
        }

        public NewApiKey build() {
            return new NewApiKey(this);
        }

        private static String token(String what, String v, int max) {
            if (v == null || v.isEmpty() || v.length() > max) {
                throw new IllegalArgumentException(what + ": '" + v + "' (expected: 1.." + max + " characters)");
            }
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c <= 0x20 || c == 0x7f || c == '"' || c == '\\') {
                    throw new IllegalArgumentException(what + ": '" + v
                            + "' (expected: no spaces, quotes, backslashes or control characters)");
                }
            }
            return v;
        }
    }
}
