package io.aegis.gateway.mesh;

import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.ratelimit.TierLimits;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Everything the mesh projections need to know about one service in one environment: a neutral
 * description built from the service's {@link ServicePolicy} (routes, authentication, limits —
 * {@link Builder#policy(ServicePolicy)}) and its deployment descriptor (namespace, versions and
 * canary weights, how callers reach it, who calls it, edge and Kubernetes settings —
 * {@link MeshSource}). {@link MeshGenerator} projects it into Istio, Kong and Kubernetes
 * configuration.
 *
 * <p>{@link Builder#build()} refuses inconsistent input with a {@link MeshConfigException} naming
 * the field: version weights that do not sum to 100, traffic to a version after its sunset, a
 * scope a route requires that no caller is granted, duplicate routes, a route of an undeclared
 * version, a rollout between undeclared versions, JWT routes without a JWKS URI, failover without
 * outlier detection.
 *
 * <p>Immutable and thread-safe.
 */
@UnstableApi
public final class MeshDescription {

    private final String service;
    private final String namespace;
    private final String serviceAccount;
    private final String environment;
    private final int port;
    private final String logLevel;
    private final List<String> hosts;
    private final List<RoutePolicy> routes;
    private final Access defaultAccess;
    private final MeshAuth auth;
    private final TierLimits tierLimits;
    private final boolean rateLimitsEnabled;
    private final List<String> trustedProxies;
    private final List<MeshVersion> versions;
    private final Rollout rollout;
    private final MeshTraffic traffic;
    private final List<MeshUpstream> upstreams;
    private final List<MeshCaller> callers;
    private final CorsSpec cors;
    private final List<String> ipAllow;
    private final List<String> ipDeny;
    private final long maxBodyBytes;
    private final KubernetesSpec kubernetes;
    private final List<LocalityFailover> failover;
    private final boolean namespaceMtls;
    private final KongSpec kong;
    private final ExtAuthzSpec extAuthz;
    private final String otlpEndpoint;
    private final List<String> egressHosts;
    private final Map<String, String> labels;
    private final Map<String, String> configuration;

    private MeshDescription(Builder b, List<MeshVersion> versions) {
        this.service = b.service;
        this.namespace = b.namespace;
        this.serviceAccount = b.serviceAccount != null ? b.serviceAccount : b.service;
        this.environment = b.environment;
        this.port = b.port;
        this.logLevel = b.logLevel;
        this.hosts = List.copyOf(b.hosts);
        this.routes = List.copyOf(b.routes);
        this.defaultAccess = b.defaultAccess;
        this.auth = b.auth;
        this.tierLimits = b.tierLimits;
        this.rateLimitsEnabled = b.rateLimitsEnabled;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.versions = versions;
        this.rollout = b.rollout;
        this.traffic = b.traffic;
        this.upstreams = b.upstreams.stream().sorted(Comparator.comparing(MeshUpstream::name)).toList();
        this.callers = b.callers.stream().sorted(Comparator.comparing(MeshCaller::name)).toList();
        this.cors = b.cors;
        this.ipAllow = List.copyOf(b.ipAllow);
        this.ipDeny = List.copyOf(b.ipDeny);
        this.maxBodyBytes = b.maxBodyBytes;
        this.kubernetes = b.kubernetes;
        this.failover = List.copyOf(b.failover);
        this.namespaceMtls = b.namespaceMtls;
        this.kong = b.kong;
        this.extAuthz = b.extAuthz;
        this.otlpEndpoint = b.otlpEndpoint;
        this.egressHosts = List.copyOf(b.egressHosts);
        this.labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(b.labels));
        this.configuration = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(b.configuration));
    }

    /**
     * Starts the description of a service.
     *
     * @param service the service name, a DNS label
     * @throws MeshConfigException when the name is not a DNS label
     */
    public static Builder builder(String service) {
        return new Builder(service);
    }

    /** The service name (a DNS label): names of the Kubernetes, Istio and Kong objects. */
    public String service() {
        return service;
    }

    public String namespace() {
        return namespace;
    }

    /** The Kubernetes service account: the workload's mesh identity. */
    public String serviceAccount() {
        return serviceAccount;
    }

    /** The environment ({@code dev}, {@code staging}, {@code prod}). */
    public String environment() {
        return environment;
    }

    /** The port the service listens on (container and Service port). */
    public int port() {
        return port;
    }

    public String logLevel() {
        return logLevel;
    }

    /** The public host names the edge routes to the service. */
    public List<String> hosts() {
        return hosts;
    }

    /** The service's routes, as its policy declares them. */
    public List<RoutePolicy> routes() {
        return routes;
    }

    /** The access of requests that match no route. */
    public Access defaultAccess() {
        return defaultAccess;
    }

    public MeshAuth auth() {
        return auth;
    }

    public TierLimits tierLimits() {
        return tierLimits;
    }

    public boolean rateLimitsEnabled() {
        return rateLimitsEnabled;
    }

    /** The proxies whose forwarding headers the service believes (CIDR texts). */
    public List<String> trustedProxies() {
        return trustedProxies;
    }

    /** The API versions, oldest first. */
    public List<MeshVersion> versions() {
        return versions;
    }

    /** The rollout in progress, or {@code null}. */
    public Rollout rollout() {
        return rollout;
    }

    public MeshTraffic traffic() {
        return traffic;
    }

    /** What the service calls, by name. */
    public List<MeshUpstream> upstreams() {
        return upstreams;
    }

    /** Who calls the service, by name. */
    public List<MeshCaller> callers() {
        return callers;
    }

    public CorsSpec cors() {
        return cors;
    }

    /** Client addresses/CIDRs the edge admits (empty: all). */
    public List<String> ipAllow() {
        return ipAllow;
    }

    /** Client addresses/CIDRs the edge refuses. */
    public List<String> ipDeny() {
        return ipDeny;
    }

    /** The largest request body the edge admits, in bytes (0: no limit). */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    public KubernetesSpec kubernetes() {
        return kubernetes;
    }

    /** Region failover pairs (multi-region). */
    public List<LocalityFailover> failover() {
        return failover;
    }

    /** {@code true}: strict mTLS for the whole namespace; {@code false}: for the workload. */
    public boolean namespaceMtls() {
        return namespaceMtls;
    }

    public KongSpec kong() {
        return kong;
    }

    public ExtAuthzSpec extAuthz() {
        return extAuthz;
    }

    /** The OTLP endpoint the service exports telemetry to, or {@code null}. */
    public String otlpEndpoint() {
        return otlpEndpoint;
    }

    /** Extra egress hosts ({@code namespace/host}) besides the upstreams. */
    public List<String> egressHosts() {
        return egressHosts;
    }

    /** Extra labels of every generated object, sorted. */
    public Map<String, String> labels() {
        return labels;
    }

    /**
     * The service's configuration as the generator read it ({@code aegis.*} keys, profile resolved),
     * sorted; empty when the description was built in code. The ext_authz sidecar gets the same.
     */
    public Map<String, String> configuration() {
        return configuration;
    }

    /** The version with this id, or {@code null}. */
    public MeshVersion version(String id) {
        return versions.stream().filter(v -> v.id().equals(id)).findFirst().orElse(null);
    }

    /** The cluster-local DNS name of the service. */
    public String fqdn() {
        return service + "." + namespace + ".svc.cluster.local";
    }

    @Override
    public String toString() {
        return "MeshDescription[" + service + "/" + environment + " in " + namespace + ", " + routes.size() + " routes, versions "
                + versions.stream().map(v -> v.id() + "=" + v.weight()).toList() + "]";
    }

    /** Builds a {@link MeshDescription}; {@link #build()} checks consistency. Not thread-safe. */
    public static final class Builder {
        private final String service;
        private String namespace = "default";
        private String serviceAccount;
        private String environment = "dev";
        private int port = 8080;
        private String logLevel = "info";
        private List<String> hosts = List.of();
        private List<RoutePolicy> routes = List.of();
        private Access defaultAccess = Access.AUTHENTICATED;
        private MeshAuth auth = MeshAuth.none();
        private TierLimits tierLimits = TierLimits.defaults();
        private boolean rateLimitsEnabled = true;
        private List<String> trustedProxies = List.of();
        private List<MeshVersion> versions = List.of();
        private List<MeshVersion> catalogue = List.of();
        private Rollout rollout;
        private MeshTraffic traffic = MeshTraffic.defaults();
        private List<MeshUpstream> upstreams = List.of();
        private List<String> policyUpstreams = List.of();
        private List<MeshCaller> callers = List.of();
        private CorsSpec cors = CorsSpec.none();
        private List<String> ipAllow = List.of();
        private List<String> ipDeny = List.of();
        private long maxBodyBytes;
        private KubernetesSpec kubernetes;
        private List<LocalityFailover> failover = List.of();
        private boolean namespaceMtls;
        private KongSpec kong = KongSpec.defaults();
        private ExtAuthzSpec extAuthz = ExtAuthzSpec.disabled();
        private String otlpEndpoint;
        private List<String> egressHosts = List.of();
        private Map<String, String> labels = Map.of();
        private Map<String, String> configuration = Map.of();
        private Clock clock = Clock.systemUTC();

        private Builder(String service) {
            Objects.requireNonNull(service, "service");
            if (!service.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new MeshConfigException("service", "'" + service + "' (expected: a DNS label, e.g. user-service)");
            }
            this.service = service;
            this.kubernetes = KubernetesSpec.defaults("registry.aegis.example.com/aegis/" + service);
        }

        String serviceName() {
            return service;
        }

        /** Takes the routes, authentication, limits, trusted proxies and environment of the policy. */
        public Builder policy(ServicePolicy policy) {
            PolicyMapping.apply(policy, this);
            return this;
        }

        public Builder namespace(String namespace) {
            this.namespace = dnsLabel("namespace", namespace);
            return this;
        }

        public Builder serviceAccount(String serviceAccount) {
            this.serviceAccount = dnsLabel("service-account", serviceAccount);
            return this;
        }

        public Builder environment(String environment) {
            this.environment = dnsLabel("environment", environment);
            return this;
        }

        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new MeshConfigException("port", port + " (expected: 1 to 65535)");
            }
            this.port = port;
            return this;
        }

        public Builder logLevel(String level) {
            String l = Objects.requireNonNull(level, "level").toLowerCase(java.util.Locale.ROOT);
            if (!Set.of("trace", "debug", "info", "warn", "error").contains(l)) {
                throw new MeshConfigException("log-level", "'" + level + "' (expected: trace, debug, info, warn or error)");
            }
            this.logLevel = l;
            return this;
        }

        public Builder hosts(List<String> hosts) {
            for (String h : hosts) {
                if (!h.matches("(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")) {
                    throw new MeshConfigException("hosts", "'" + h + "' (expected: a DNS name, optionally *.domain)");
                }
            }
            this.hosts = List.copyOf(hosts);
            return this;
        }

        public Builder routes(List<RoutePolicy> routes) {
            this.routes = List.copyOf(routes);
            return this;
        }

        public Builder defaultAccess(Access access) {
            this.defaultAccess = Objects.requireNonNull(access, "access");
            return this;
        }

        public Builder auth(MeshAuth auth) {
            this.auth = Objects.requireNonNull(auth, "auth");
            return this;
        }

        public Builder tierLimits(TierLimits limits) {
            this.tierLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public Builder rateLimitsEnabled(boolean enabled) {
            this.rateLimitsEnabled = enabled;
            return this;
        }

        public Builder trustedProxies(List<String> cidrs) {
            this.trustedProxies = List.copyOf(cidrs);
            return this;
        }

        /**
         * The API versions of the service's own catalogue (lifecycle dates, successor, guide), as
         * the policy declares them; the descriptor's versions add pods and weights.
         */
        Builder catalogue(List<MeshVersion> catalogue) {
            this.catalogue = List.copyOf(catalogue);
            return this;
        }

        /** The API versions in any order (kept oldest first); none: derived from the routes. */
        public Builder versions(List<MeshVersion> versions) {
            this.versions = List.copyOf(versions);
            return this;
        }

        public Builder rollout(Rollout rollout) {
            this.rollout = rollout;
            return this;
        }

        public Builder traffic(MeshTraffic traffic) {
            this.traffic = Objects.requireNonNull(traffic, "traffic");
            return this;
        }

        /** The names of the upstreams the service's policy calls ({@code aegis.upstreams.<name>}). */
        Builder policyUpstreams(List<String> names) {
            this.policyUpstreams = List.copyOf(names);
            return this;
        }

        public Builder upstreams(List<MeshUpstream> upstreams) {
            this.upstreams = List.copyOf(upstreams);
            return this;
        }

        public Builder callers(List<MeshCaller> callers) {
            this.callers = List.copyOf(callers);
            return this;
        }

        public Builder cors(CorsSpec cors) {
            this.cors = Objects.requireNonNull(cors, "cors");
            return this;
        }

        public Builder ipRestriction(List<String> allow, List<String> deny) {
            this.ipAllow = List.copyOf(allow);
            this.ipDeny = List.copyOf(deny);
            return this;
        }

        public Builder maxBodyBytes(long bytes) {
            if (bytes < 0) {
                throw new MeshConfigException("max-body-size", bytes + " (expected: >= 0)");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder kubernetes(KubernetesSpec spec) {
            this.kubernetes = Objects.requireNonNull(spec, "spec");
            return this;
        }

        public Builder failover(List<LocalityFailover> failover) {
            this.failover = List.copyOf(failover);
            return this;
        }

        public Builder namespaceMtls(boolean namespaceWide) {
            this.namespaceMtls = namespaceWide;
            return this;
        }

        public Builder kong(KongSpec kong) {
            this.kong = Objects.requireNonNull(kong, "kong");
            return this;
        }

        public Builder extAuthz(ExtAuthzSpec extAuthz) {
            this.extAuthz = Objects.requireNonNull(extAuthz, "extAuthz");
            return this;
        }

        public Builder otlpEndpoint(String endpoint) {
            this.otlpEndpoint = endpoint;
            return this;
        }

        public Builder egressHosts(List<String> hosts) {
            for (String h : hosts) {
                if (!h.matches("([a-z0-9-]+|\\*|\\.|~)/[A-Za-z0-9*.-]+")) {
                    throw new MeshConfigException("egress-hosts", "'" + h + "' (expected: namespace/host, e.g. */idp.example.com)");
                }
            }
            this.egressHosts = List.copyOf(hosts);
            return this;
        }

        public Builder labels(Map<String, String> labels) {
            this.labels = Map.copyOf(labels);
            return this;
        }

        /** The service's configuration ({@code aegis.*} keys) the description was read from. */
        public Builder configuration(Map<String, String> properties) {
            this.configuration = Map.copyOf(properties);
            return this;
        }

        /** The clock that decides which versions are sunset (default: the UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @throws MeshConfigException naming the first inconsistent field
         */
        public MeshDescription build() {
            try {
                RouteTable.of(routes);
            } catch (IllegalArgumentException e) {
                throw new MeshConfigException("routes", e.getMessage(), e);
            }
            List<MeshVersion> vs = resolveVersions();
            checkRoutesVersions(vs);
            checkWeights(vs, clock.instant());
            checkRollout(vs);
            checkCallers();
            checkAuth();
            if (!failover.isEmpty() && !traffic.outlierDetection().enabled() && !traffic.circuitBreaker().enabled()) {
                throw new MeshConfigException("regions.failover", failover.size()
                        + " failover pair(s) (expected: outlier detection or the circuit breaker enabled; Istio fails over only from ejected endpoints)");
            }
            if (extAuthz.enabled() && extAuthz.port() == port) {
                throw new MeshConfigException("ext-authz.port", extAuthz.port() + " (expected: another port than the service's " + port + ")");
            }
            // Upstreams the policy calls but the descriptor does not place: services of this namespace.
            List<MeshUpstream> all = new java.util.ArrayList<>(upstreams);
            for (String name : policyUpstreams) {
                if (all.stream().noneMatch(u -> u.name().equals(name))) {
                    all.add(new MeshUpstream(name, name + "." + namespace + ".svc.cluster.local", null));
                }
            }
            upstreams = List.copyOf(all);
            unique("upstreams", upstreams.stream().map(MeshUpstream::name).toList());
            return new MeshDescription(this, vs);
        }

        private List<MeshVersion> resolveVersions() {
            List<MeshVersion> versions = merged();
            if (!versions.isEmpty()) {
                unique("versions", versions.stream().map(MeshVersion::id).toList());
                unique("versions[*].label", versions.stream().map(MeshVersion::label).toList());
                unique("versions[*].prefix", versions.stream().map(MeshVersion::prefix).toList());
                return versions.stream().sorted(Comparator.comparingInt(MeshVersion::number)).toList();
            }
            Set<String> used = routes.stream().map(RoutePolicy::version).filter(Objects::nonNull)
                    .collect(Collectors.toCollection(TreeSet::new));
            if (used.size() > 1) {
                throw new MeshConfigException("versions", "[] (expected: the versions " + used
                        + " the routes use, with their weights)");
            }
            return List.of(MeshVersion.of(used.isEmpty() ? "v1" : used.iterator().next(), 100));
        }

        /**
         * The descriptor's versions completed from the catalogue: lifecycle dates the descriptor
         * leaves out come from the catalogue, and catalogue versions the descriptor does not
         * deploy are routed to newer pods (weight 0). Without descriptor versions, the newest
         * catalogue version that is not sunset takes all the traffic.
         */
        private List<MeshVersion> merged() {
            if (catalogue.isEmpty()) {
                return versions;
            }
            java.util.Map<String, MeshVersion> byId = new java.util.TreeMap<>();
            for (MeshVersion v : versions) {
                byId.put(v.id(), v);
            }
            boolean deployed = !versions.isEmpty();
            for (MeshVersion c : catalogue) {
                MeshVersion d = byId.get(c.id());
                if (d == null) {
                    byId.put(c.id(), c.withWeight(0));
                } else {
                    byId.put(c.id(), new MeshVersion(d.id(), d.label(), d.prefix(), d.weight(),
                            d.deprecation() != null ? d.deprecation() : c.deprecation(),
                            d.sunset() != null ? d.sunset() : c.sunset(),
                            d.successor() != null ? d.successor() : c.successor(),
                            d.migrationGuide() != null ? d.migrationGuide() : c.migrationGuide()));
                }
            }
            List<MeshVersion> out = new java.util.ArrayList<>(byId.values());
            if (!deployed) {
                Instant now = clock.instant();
                MeshVersion newest = out.stream().filter(v -> !v.sunsetAt(now))
                        .max(Comparator.comparingInt(MeshVersion::number)).orElse(null);
                if (newest != null) {
                    out.replaceAll(v -> v == newest ? v.withWeight(100) : v);
                }
            }
            return out;
        }

        private void checkRoutesVersions(List<MeshVersion> vs) {
            Set<String> ids = vs.stream().map(MeshVersion::id).collect(Collectors.toSet());
            for (RoutePolicy r : routes) {
                if (r.version() != null && !ids.contains(r.version())) {
                    throw new MeshConfigException("routes[" + r.id() + "].version", "'" + r.version()
                            + "' (expected: one of the declared versions " + new TreeSet<>(ids) + ")");
                }
            }
        }

        private static void checkWeights(List<MeshVersion> vs, Instant now) {
            int sum = vs.stream().mapToInt(MeshVersion::weight).sum();
            if (sum != 100) {
                throw new MeshConfigException("versions[*].weight", vs.stream().map(v -> v.id() + "=" + v.weight())
                        .collect(Collectors.joining(", ")) + " sum to " + sum + " (expected: the weights sum to 100)");
            }
            for (MeshVersion v : vs) {
                if (v.weight() > 0 && v.sunsetAt(now)) {
                    throw new MeshConfigException("versions[" + v.id() + "].weight", v.weight() + " routes traffic to "
                            + v.id() + " after its sunset " + v.sunset() + " (expected: 0 once a version is sunset)");
                }
            }
        }

        private void checkRollout(List<MeshVersion> vs) {
            if (rollout == null) {
                return;
            }
            Map<String, MeshVersion> byId = new LinkedHashMap<>();
            vs.forEach(v -> byId.put(v.id(), v));
            MeshVersion stable = byId.get(rollout.stable());
            MeshVersion canary = byId.get(rollout.canary());
            if (stable == null) {
                throw new MeshConfigException("rollout.stable", "'" + rollout.stable() + "' (expected: one of the versions " + byId.keySet() + ")");
            }
            if (canary == null) {
                throw new MeshConfigException("rollout.canary", "'" + rollout.canary() + "' (expected: one of the versions " + byId.keySet() + ")");
            }
            if (canary.number() <= stable.number()) {
                throw new MeshConfigException("rollout.canary", "'" + canary.id() + "' (expected: a newer version than the stable " + stable.id() + ")");
            }
            for (MeshVersion v : vs) {
                if (v != stable && v != canary && v.weight() != 0) {
                    throw new MeshConfigException("versions[" + v.id() + "].weight", v.weight()
                            + " (expected: 0 while " + stable.id() + " and " + canary.id() + " share the traffic in a rollout)");
                }
            }
        }

        private void checkCallers() {
            unique("callers", callers.stream().map(MeshCaller::name).toList());
            long jwtConsumers = callers.stream().filter(c -> c.edge() == MeshCaller.EdgeCredential.JWT).count();
            if (jwtConsumers > 1) {
                throw new MeshConfigException("callers[*].edge", jwtConsumers
                        + " JWT edge callers (expected: at most one; Kong finds the consumer of a token by its issuer)");
            }
            for (RoutePolicy r : routes) {
                if (r.access() != Access.AUTHENTICATED || r.scopes().isEmpty()) {
                    continue;
                }
                if (callers.stream().noneMatch(c -> r.scopes().isSatisfiedBy(c.scopes()))) {
                    Set<String> granted = new HashSet<>();
                    callers.forEach(c -> granted.addAll(c.scopes()));
                    List<String> missing = new ArrayList<>(new TreeSet<>(r.scopes().values()));
                    missing.removeAll(granted);
                    throw new MeshConfigException("routes[" + r.id() + "].scopes", r.scopes() + " is granted to no caller"
                            + (missing.isEmpty() ? "" : " (no caller has " + String.join(", ", missing) + ")")
                            + " (expected: a caller in callers whose scopes satisfy it)");
                }
            }
        }

        private void checkAuth() {
            boolean jwt = routes.stream().anyMatch(r -> r.access() == Access.AUTHENTICATED
                    && r.authSchemes().contains(AuthScheme.JWT));
            if (jwt && (auth.issuer() == null || auth.jwksUri() == null)) {
                throw new MeshConfigException(auth.issuer() == null ? "auth.issuer" : "auth.jwks-uri", "missing"
                        + " (expected: routes accept JWTs, so the mesh verifies them too: set aegis.auth.jwt.issuer and"
                        + " aegis.auth.jwt.jwks-uri in policy.properties)");
            }
        }

        private static void unique(String field, List<String> values) {
            Set<String> seen = new HashSet<>();
            for (String v : values) {
                if (!seen.add(v)) {
                    throw new MeshConfigException(field, "'" + v + "' is declared twice (expected: unique)");
                }
            }
        }

        private static String dnsLabel(String field, String value) {
            if (value == null || !value.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
                throw new MeshConfigException(field, "'" + value + "' (expected: a DNS label: lower-case letters, digits and hyphens)");
            }
            return value;
        }
    }
}
