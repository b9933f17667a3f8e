package io.aegis.gateway.policy;

import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.masking.MaskingSettings;
import io.aegis.gateway.network.TrustedProxies;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.traffic.TrafficSettings;
import io.aegis.gateway.resilience.UpstreamPolicy;
import io.aegis.gateway.versioning.VersioningSettings;
import io.aegis.gateway.threat.ThreatSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one description of a service's API policy: its routes and what each requires, how tokens
 * are verified, how callers are limited, which proxies are trusted. Every projection reads this
 * model: the in-process pipeline, the generated mesh configuration, the docs.
 *
 * <p>Sources (the builder API, MicroProfile Config, JAX-RS annotations) all produce this type.
 * Immutable and thread-safe; {@link Builder#build()} validates the routes (no duplicates, no
 * scopes on public routes).
 */
public final class ServicePolicy {

    private final String name;
    private final String environment;
    private final List<RoutePolicy> routes;
    private final RouteTable routeTable;
    private final RoutePolicy fallbackRoute;
    private final JwtSettings jwt;
    private final RateLimitSettings rateLimits;
    private final TrustedProxies trustedProxies;
    private final TrafficSettings traffic;
    private final List<UpstreamPolicy> upstreams;
    private final VersioningSettings versioning;
    private final ThreatSettings threatDefense;
    private final MaskingSettings masking;

    private ServicePolicy(Builder b) {
        this.name = b.name;
        this.environment = b.environment;
        this.routes = List.copyOf(b.routes);
        this.routeTable = RouteTable.of(routes);
        this.fallbackRoute = b.fallbackRoute;
        this.jwt = b.jwt;
        this.rateLimits = b.rateLimits;
        this.trustedProxies = b.trustedProxies;
        this.traffic = b.traffic;
        this.upstreams = List.copyOf(b.upstreams);
        this.versioning = b.versioning;
        this.threatDefense = b.threatDefense;
        this.masking = b.masking;
    }

    /**
     * Starts the policy of a service.
     *
     * @param name the service name: lower-case letters, digits and hyphens (a DNS label, as the
     *     mesh projections need it)
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name).environment(environment).fallbackRoute(fallbackRoute).jwt(jwt)
                .rateLimits(rateLimits).trustedProxies(trustedProxies);
        b.routes.addAll(routes);
        b.traffic(traffic);
        b.upstreams.addAll(upstreams);
        b.versioning = versioning;
        b.threatDefense(threatDefense);
        b.masking(masking);
        return b;
    }

    public String name() {
        return name;
    }

    /** The deployment environment (dev, staging, prod, ...). */
    public String environment() {
        return environment;
    }

    public List<RoutePolicy> routes() {
        return routes;
    }

    /** The compiled matcher over {@link #routes()}. */
    public RouteTable routeTable() {
        return routeTable;
    }

    /** The route applied to requests that match no declared route. */
    public RoutePolicy fallbackRoute() {
        return fallbackRoute;
    }

    /** How JWTs are verified, or {@code null} when the service accepts none. */
    public JwtSettings jwt() {
        return jwt;
    }

    public RateLimitSettings rateLimits() {
        return rateLimits;
    }

    public TrustedProxies trustedProxies() {
        return trustedProxies;
    }

    /** Quotas, adaptive load shedding, emergency mode and burst credit. */
    public TrafficSettings traffic() {
        return traffic;
    }

    /** The upstreams this service calls (targets, balancing, timeouts, retries, breakers, health), by name. */
    public List<UpstreamPolicy> upstreams() {
        return upstreams;
    }

    /** The upstream of this name, if the service calls it. */
    public java.util.Optional<UpstreamPolicy> upstream(String name) {
        return upstreams.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /** The API versions (catalogue) and how requests name them; {@link VersioningSettings#none()} when unversioned. */
    public VersioningSettings versioning() {
        return versioning;
    }

    /** WAF, IP and geo rules, anomaly detection, audit log (default: {@link ThreatSettings#defaults()}). */
    public ThreatSettings threatDefense() {
        return threatDefense;
    }

    /** How responses are masked: service-wide rules, the exempt scope, limits. */
    public MaskingSettings masking() {
        return masking;
    }

    @Override
    public String toString() {
        return "ServicePolicy[" + name + "/" + environment + ", " + routes.size() + " routes]";
    }

    /** Builds a {@link ServicePolicy}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private String environment = "dev";
        private final List<RoutePolicy> routes = new ArrayList<>();
        private RoutePolicy fallbackRoute = RoutePolicy.fallback();
        private JwtSettings jwt;
        private RateLimitSettings rateLimits = RateLimitSettings.defaults();
        private TrustedProxies trustedProxies = TrustedProxies.none();
        private TrafficSettings traffic = TrafficSettings.defaults();
        private final List<UpstreamPolicy> upstreams = new ArrayList<>();
        private VersioningSettings versioning = VersioningSettings.none();
        private ThreatSettings threatDefense = ThreatSettings.defaults();
        private MaskingSettings masking = MaskingSettings.defaults();

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (!name.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("service name: '" + name
                        + "' (expected: lower-case letters, digits and hyphens, at most 63, e.g. user-service)");
            }
            this.name = name;
        }

        public Builder environment(String environment) {
            if (environment == null || !environment.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("environment: '" + environment
                        + "' (expected: lower-case letters, digits and hyphens, e.g. prod)");
            }
            this.environment = environment;
            return this;
        }

        public Builder route(RoutePolicy route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        public Builder routes(List<RoutePolicy> more) {
            more.forEach(this::route);
            return this;
        }

        public Builder fallbackRoute(RoutePolicy route) {
            this.fallbackRoute = Objects.requireNonNull(route, "route");
            return this;
        }

        /** How JWTs are verified; {@code null} when the service accepts none. */
        public Builder jwt(JwtSettings jwt) {
            this.jwt = jwt;
            return this;
        }

        public Builder rateLimits(RateLimitSettings settings) {
            this.rateLimits = Objects.requireNonNull(settings, "settings");
            return this;
        }

        public Builder trustedProxies(TrustedProxies proxies) {
            this.trustedProxies = Objects.requireNonNull(proxies, "proxies");
            return this;
        }

        public Builder traffic(TrafficSettings traffic) {
            this.traffic = Objects.requireNonNull(traffic, "traffic");
            return this;
        }

        /** Adds an upstream the service calls. */
        public Builder upstream(UpstreamPolicy upstream) {
            upstreams.add(Objects.requireNonNull(upstream, "upstream"));
            return this;
        }

        /** Replaces the upstreams. */
        public Builder upstreams(List<UpstreamPolicy> list) {
            upstreams.clear();
            list.forEach(this::upstream);
            return this;
        }

        /** The API versions and how requests name them (default: none, versioning off). */
        public Builder versioning(VersioningSettings versioning) {
            this.versioning = Objects.requireNonNull(versioning, "versioning");
            return this;
        }

        /** WAF, IP and geo rules, anomaly detection, audit log. */
        public Builder threatDefense(ThreatSettings settings) {
            this.threatDefense = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How responses are masked (default {@link MaskingSettings#defaults()}). */
        public Builder masking(MaskingSettings masking) {
            this.masking = Objects.requireNonNull(masking, "masking");
            return this;
        }

        /**
         * @throws IllegalArgumentException when two routes clash, a public route requires
         *     scopes or roles, or two upstreams share a name
         */
        public ServicePolicy build() {
            java.util.Set<String> upstreamNames = new java.util.HashSet<>();
            for (UpstreamPolicy u : upstreams) {
                if (!upstreamNames.add(u.name())) {
                    throw new IllegalArgumentException("upstream " + u.name() + " is defined twice (expected: unique names)");
                }
            }
            for (RoutePolicy r : routes) {
                if (r.access() == Access.PUBLIC && (!r.scopes().isEmpty() || !r.roles().isEmpty())) {
                    throw new IllegalArgumentException("route " + r.id()
                            + " is public but requires scopes or roles (expected: either public, or requirements)");
                }
            }
            return new ServicePolicy(this);
        }
    }
}
