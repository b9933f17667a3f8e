package io.aegis.gateway.policy;

import io.aegis.gateway.masking.MaskingPolicy;
import io.aegis.gateway.ratelimit.RateLimitRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One route of a service and what it requires: the method and path template it serves, its API
 * version, who may call it (access, scopes, roles, accepted credentials) and how it is rate
 * limited.
 *
 * <p>The same route feeds every projection: the in-process checks, the generated mesh
 * configuration and the docs. Immutable and thread-safe; build with {@link #builder(String, String)}.
 */
public final class RoutePolicy {

    /** The method wildcard: the route serves every method. */
    public static final String ANY_METHOD = "*";

    private static final RoutePolicy FALLBACK = builder(ANY_METHOD, "/{path: .*}")
            .id("fallback").access(Access.AUTHENTICATED).build();

    private final String id;
    private final String method;
    private final String path;
    private final String version;
    private final Access access;
    private final Requirement scopes;
    private final Requirement roles;
    private final List<AuthScheme> authSchemes;
    private final RateLimitRule rateLimit;
    private final Map<String, String> properties;
    private final boolean versionFallback;
    private final MaskingPolicy masking;

    private RoutePolicy(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.id = b.id != null ? b.id : b.method + " " + b.path;
        this.version = b.version;
        this.access = b.access;
        this.scopes = b.scopes;
        this.roles = b.roles;
        this.authSchemes = List.copyOf(b.authSchemes);
        this.rateLimit = b.rateLimit;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
        this.versionFallback = b.versionFallback;
        this.masking = b.masking;
    }

    /**
     * Starts a route.
     *
     * @param method an HTTP method ({@code GET}, ...) or {@value #ANY_METHOD}
     * @param path a path template such as {@code /api/v1/users/{id}}; see {@link RouteTable} for the syntax
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /** The route for requests that match no declared route: authenticated, no scopes. */
    public static RoutePolicy fallback() {
        return FALLBACK;
    }

    /** A copy of this route with changes. */
    public Builder toBuilder() {
        Builder b = new Builder(method, path);
        b.id = id;
        b.version = version;
        b.access = access;
        b.scopes = scopes;
        b.roles = roles;
        b.authSchemes = authSchemes;
        b.rateLimit = rateLimit;
        b.properties.putAll(properties);
        b.versionFallback = versionFallback;
        b.masking = masking;
        return b;
    }

    /** A stable identifier, by default {@code "METHOD /path/template"}; used in metrics and logs. */
    public String id() {
        return id;
    }

    public String method() {
        return method;
    }

    /** The path template. */
    public String path() {
        return path;
    }

    /** The API version this route belongs to (e.g. {@code v1}), or {@code null}. */
    public String version() {
        return version;
    }

    public Access access() {
        return access;
    }

    public Requirement scopes() {
        return scopes;
    }

    public Requirement roles() {
        return roles;
    }

    /** The credentials the route accepts, in the order they are tried. */
    public List<AuthScheme> authSchemes() {
        return authSchemes;
    }

    /** The route's rate-limit rule, or {@code null} to use the service default. */
    public RateLimitRule rateLimit() {
        return rateLimit;
    }

    /** Free-form properties that later projections read (e.g. documentation, masking). */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * {@code true} when this route also serves requests for newer API versions that lack it: a
     * request for {@code /api/v3/x} is then answered by the nearest older version's {@code /api/v2/x}
     * (with an {@code Api-Version-Fallback} response header). Default {@code false}.
     */
    public boolean versionFallback() {
        return versionFallback;
    }

    /**
     * What is masked in this route's responses, added to the service's masking rules; {@code null}
     * when the route adds none.
     */
    public MaskingPolicy masking() {
        return masking;
    }

    /** {@code true} when an anonymous caller can pass this route's access check. */
    public boolean isPublic() {
        return access == Access.PUBLIC;
    }

    @Override
    public String toString() {
        return "RoutePolicy[" + id + ", " + access
                + (scopes.isEmpty() ? "" : ", scopes " + scopes)
                + (roles.isEmpty() ? "" : ", roles " + roles)
                + (version == null ? "" : ", version " + version)
                + (rateLimit == null ? "" : ", " + rateLimit) + "]";
    }

    /** Builds a {@link RoutePolicy}. Defaults: authenticated, no scopes or roles, JWT only, service rate limit. */
    public static final class Builder {
        private final String method;
        private final String path;
        private String id;
        private String version;
        private Access access = Access.AUTHENTICATED;
        private Requirement scopes = Requirement.none();
        private Requirement roles = Requirement.none();
        private List<AuthScheme> authSchemes = List.of(AuthScheme.JWT);
        private RateLimitRule rateLimit;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private boolean versionFallback;
        private MaskingPolicy masking;

        private Builder(String method, String path) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            String m = method.trim().toUpperCase(Locale.ROOT);
            if (!m.equals(ANY_METHOD) && !m.matches("[A-Z]+")) {
                throw new IllegalArgumentException("method: " + method + " (expected: an HTTP method or '*')");
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path: " + path + " (expected: a template starting with '/')");
            }
            RouteTable.validateTemplate(path);
            this.method = m;
            this.path = path;
        }

        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        public Builder version(String version) {
            this.version = version;
            return this;
        }

        public Builder access(Access access) {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        /** Shorthand for {@code access(Access.PUBLIC)}. */
        public Builder publicAccess() {
            return access(Access.PUBLIC);
        }

        public Builder scopes(Requirement scopes) {
            this.scopes = Objects.requireNonNull(scopes, "scopes");
            return this;
        }

        public Builder roles(Requirement roles) {
            this.roles = Objects.requireNonNull(roles, "roles");
            return this;
        }

        /**
         * The accepted credentials in the order they are tried.
         *
         * @throws IllegalArgumentException when empty
         */
        public Builder authSchemes(List<AuthScheme> schemes) {
            if (schemes.isEmpty()) {
                throw new IllegalArgumentException("authSchemes: [] (expected: at least one scheme)");
            }
            this.authSchemes = List.copyOf(schemes);
            return this;
        }

        /** The route's own rate-limit rule ({@code null}: the service default). */
        public Builder rateLimit(RateLimitRule rule) {
            this.rateLimit = rule;
            return this;
        }

        public Builder property(String key, String value) {
            properties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Whether newer API versions lacking this route fall back to it (default {@code false}). */
        public Builder versionFallback(boolean fallback) {
            this.versionFallback = fallback;
            return this;
        }

        /** What is masked in the route's responses, beside the service rules ({@code null}: nothing more). */
        public Builder masking(MaskingPolicy masking) {
            this.masking = masking;
            return this;
        }

        public RoutePolicy build() {
            return new RoutePolicy(this);
        }
    }
}
