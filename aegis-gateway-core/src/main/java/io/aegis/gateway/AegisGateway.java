package io.aegis.gateway;

import io.aegis.gateway.auth.AuthenticationPolicy;
import io.aegis.gateway.auth.AuthorizationPolicy;
import io.aegis.gateway.auth.jwt.JwtAuthenticator;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.config.PolicyConfig;
import io.aegis.gateway.health.HealthCheckResult;
import io.aegis.gateway.health.HealthRegistry;
import io.aegis.gateway.network.ClientAddressPolicy;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEventListener;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.traffic.TrafficControl;
import io.aegis.gateway.telemetry.HttpServerMetrics;
import io.aegis.gateway.versioning.VersionManager;
import io.aegis.gateway.versioning.VersioningSettings;
import io.aegis.gateway.versioning.spi.DeprecatedVersionListener;
import io.aegis.gateway.threat.ThreatDefense;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The gateway of one service: its {@link ServicePolicy}, the {@link Pipeline} built from it, and
 * the state that outlives a configuration reload (token caches, rate-limit buckets, JWKS keys).
 * Adapters (servlet filter, JAX-RS feature, ext_authz sidecar) hold one and ask it for the current
 * pipeline on every request.
 *
 * <p>Created from configuration ({@link #fromConfig()}) or programmatically
 * ({@link #builder()}). {@link #reload()} re-reads the configuration: a valid one replaces the
 * pipeline without restarting and without resetting buckets whose limits did not change; an
 * invalid one is refused with a message naming the key, and the last good configuration stays.
 *
 * <p>Thread-safe. Close it to stop background work (JWKS refresh, periodic reload).
 */
public final class AegisGateway implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AegisGateway.class.getName());

    /** Key prefixes the core reads; others under {@code aegis.} are reported as probable typos. */
    public static final Set<String> CORE_KEY_PREFIXES = Set.of("aegis.service.", "aegis.auth.", "aegis.network.",
            "aegis.ratelimit.", "aegis.routes.", "aegis.config.", "aegis.upstreams.", "aegis.masking.");

    private final Supplier<ServicePolicy> source;
    private final UnaryOperator<ServicePolicy> customizer;
    private final List<Authenticator> extraAuthenticators;
    private final List<GatewayPolicy> extraPolicies;
    private final RateLimiterBackend customBackend;
    private final GatewayEvents events;
    private final HealthRegistry health = new HealthRegistry();
    private final Clock clock;
    private final OpenTelemetry openTelemetry;
    private final ScheduledExecutorService reloader;
    private final TrafficControl traffic;
    private final VersionManager versionManager;
    private final HttpServerMetrics httpMetrics;
    private volatile VersioningSettings codeVersions = VersioningSettings.none();
    private final ThreatDefense threats;

    private final List<RoutePolicy> codeRoutes = new CopyOnWriteArrayList<>();
    private volatile State state;
    private final AuthFeatures features;

    private AegisGateway(Builder b) {
        this.source = b.source;
        this.customizer = b.customizer;
        this.features = AuthFeatures.assemble(b.configSupplier, b.apiKeys, b.oauthClients, b.authenticators, b.clock,
                b.events, b.openTelemetry);
        this.extraAuthenticators = features.withAuthenticators(b.authenticators);
        this.extraPolicies = features.withPolicies(b.policies);
        this.customBackend = b.backend;
        this.events = b.events;
        this.clock = b.clock;
        this.openTelemetry = b.openTelemetry;
        this.traffic = new TrafficControl(clock, events, openTelemetry);
        VersionManager.Builder versions = VersionManager.builder().clock(clock).events(events).openTelemetry(openTelemetry);
        b.versionListeners.forEach(versions::listener);
        this.versionManager = versions.build();
        this.httpMetrics = new HttpServerMetrics(openTelemetry);
        this.threats = new ThreatDefense(events, clock, b.banStore, b.geoLocator, b.auditSink);
        ServicePolicy initial = customizer.apply(source.get());
        this.state = assemble(initial, null);
        health.register(HealthRegistry.Kind.READINESS, "jwt-keys", () -> {
            JwtAuthenticator jwt = state.jwt;
            if (jwt == null || jwt.ready()) {
                return HealthCheckResult.up("jwt-keys");
            }
            return HealthCheckResult.down("jwt-keys", "token signing keys not yet fetched");
        });
        health.register(HealthRegistry.Kind.LIVENESS, "gateway", () -> HealthCheckResult.up("gateway"));
        features.registerHealth(health);
        if (b.reloadInterval != null) {
            reloader = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aegis-config-reload");
                t.setDaemon(true);
                return t;
            });
            long ms = b.reloadInterval.toMillis();
            reloader.scheduleWithFixedDelay(this::reload, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            reloader = null;
        }
        LOG.log(System.Logger.Level.INFO, "Aegis Gateway for " + initial.name() + "/" + initial.environment()
                + ": " + initial.routes().size() + " configured routes, JWT "
                + (initial.jwt() == null ? "off" : initial.jwt().keySource()) + ", rate limits "
                + (initial.rateLimits().enabled() ? initial.rateLimits().tiers() : "off"));
    }

    /**
     * A gateway configured by MicroProfile Config ({@link AegisConfig#load()}), re-read on
     * {@link #reload()} and, when {@code aegis.config.reload-interval} is set, periodically.
     *
     * @throws ConfigException when the configuration is invalid
     */
    public static AegisGateway fromConfig() {
        return builder().config(AegisConfig::load).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The policy in force. */
    public ServicePolicy policy() {
        return state.policy;
    }

    /** The pipeline in force; ask for it per request, it changes on reload. */
    public Pipeline pipeline() {
        return state.pipeline;
    }

    public GatewayEvents events() {
        return events;
    }

    public HealthRegistry health() {
        return health;
    }

    public Clock clock() {
        return clock;
    }

    public OpenTelemetry openTelemetry() {
        return openTelemetry;
    }

    /** Quotas, adaptive load shedding, emergency mode and burst credit, with their run-time state. */
    public TrafficControl traffic() {
        return traffic;
    }

    /** The API versions: catalogue in force, usage counters and report. */
    public VersionManager versions() {
        return versionManager;
    }

    /** Threat-defense state: bans, IP lists (for operators and tests). */
    public ThreatDefense threatDefense() {
        return threats;
    }

    /** The JWT authenticator in force, or {@code null} when JWTs are not accepted. */
    public JwtAuthenticator jwtAuthenticator() {
        return state.jwt;
    }

    /**
     * The API keys of this service (administration through {@code apiKeys().service()}), or
     * {@code null} when they are off ({@code aegis.apikeys.enabled}).
     */
    public io.aegis.gateway.apikey.ApiKeys apiKeys() {
        return features.apiKeys();
    }

    /** The OAuth 2.0 client registrations of this service ({@code aegis.oauth.clients.*}); empty when none. */
    public io.aegis.gateway.oauth.OAuthClients oauthClients() {
        return features.clients();
    }

    /**
     * Re-reads the policy from its source and applies it. Never throws: an invalid configuration
     * is logged, published as a {@code config.reload_failed} event and answered as a failure,
     * and the last good policy stays in force.
     */
    public ReloadResult reload() {
        try {
            // Assembling can refuse the policy too (an unknown backend, key text that is no key).
            update(customizer.apply(source.get()));
        } catch (ConfigException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration reload refused, keeping the last good one: " + e.getMessage());
            events.publish(GatewayEvent.of(GatewayEvent.CONFIG_RELOAD_FAILED, "reason", e.getMessage()));
            return ReloadResult.failed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration reload failed, keeping the last good one", e);
            events.publish(GatewayEvent.of(GatewayEvent.CONFIG_RELOAD_FAILED, "reason", e.getClass().getSimpleName()));
            return ReloadResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return ReloadResult.success();
    }

    /**
     * Adds routes declared in code (the JAX-RS feature adds every resource method it binds). They
     * stay across reloads, beside the routes of the configuration.
     *
     * @throws IllegalArgumentException when a route clashes with one already known
     */
    public synchronized void addRoutes(Collection<RoutePolicy> routes) {
        List<RoutePolicy> added = new ArrayList<>();
        for (RoutePolicy r : routes) {
            if (codeRoutes.stream().noneMatch(c -> c.id().equals(r.id()))) {
                added.add(r);
            }
        }
        if (added.isEmpty()) {
            return;
        }
        codeRoutes.addAll(added);
        try {
            state = assemble(state.base, state);
        } catch (RuntimeException e) {
            codeRoutes.removeAll(added);
            throw e;
        }
    }

    /**
     * Adds API versions declared in code (the JAX-RS feature adds those of {@code @ApiVersion}).
     * They stay across reloads; the configuration overrides them field by field
     * ({@link VersioningSettings#overriding}).
     *
     * @throws IllegalArgumentException when they contradict versions declared before, or the
     *     resulting catalogue breaks a rule ({@link VersionManager#validate})
     */
    public synchronized void addVersions(VersioningSettings declared) {
        VersioningSettings before = codeVersions;
        VersioningSettings combined = before.combine(declared);
        if (combined.equals(before)) {
            return;
        }
        codeVersions = combined;
        try {
            state = assemble(state.base, state);
        } catch (RuntimeException e) {
            codeVersions = before;
            throw e;
        }
    }

    /**
     * Applies a new policy now (programmatic reload).
     *
     * @throws IllegalArgumentException when its API versions break a rule ({@link VersionManager#validate})
     */
    public synchronized void update(ServicePolicy next) {
        Objects.requireNonNull(next, "next");
        State old = state;
        state = assemble(next, old);
        if (old.jwt != null && old.jwt != state.jwt) {
            old.jwt.close();
        }
        if (old.backend != state.backend && old.backend != customBackend) {
            old.backend.close();
        }
        if (!old.policy.rateLimits().equals(next.rateLimits()) || !old.policy.routes().equals(next.routes())
                || !Objects.equals(old.policy.jwt(), next.jwt())) {
            LOG.log(System.Logger.Level.INFO, "configuration applied: rate limits " + next.rateLimits().tiers()
                    + ", " + next.routes().size() + " configured routes");
        }
        events.publish(GatewayEvent.of(GatewayEvent.CONFIG_RELOADED, "service", next.name()));
    }

    private State assemble(ServicePolicy base, State old) {
        ServicePolicy policy = codeRoutes.isEmpty() ? base : base.toBuilder().routes(codeRoutes).build();
        policy = versionManager.apply(policy, codeVersions);
        // The backend first: if it is refused, no JWT authenticator (with its JWKS refresh) was started.
        RateLimiterBackend backend = backend(policy.rateLimits(), old);
        JwtAuthenticator jwt = null;
        if (policy.jwt() != null) {
            jwt = old != null && old.jwt != null && old.jwt.settings().equals(policy.jwt())
                    && old.jwt.realm().equals(policy.name())
                    ? old.jwt
                    : JwtAuthenticator.builder(policy.jwt()).realm(policy.name()).clock(clock).events(events)
                            .openTelemetry(openTelemetry).build();
        }
        List<Authenticator> authenticators = new ArrayList<>(extraAuthenticators);
        if (jwt != null && authenticators.stream().noneMatch(a -> a.scheme() == AuthScheme.JWT)) {
            authenticators.add(jwt);
        }
        AuthenticationPolicy authn = new AuthenticationPolicy(authenticators, policy.name());
        warnUnverifiableRoutes(policy, authn);
        Pipeline pipeline = Pipeline.builder()
                .add(new ClientAddressPolicy(policy.trustedProxies()))
                .add(new io.aegis.gateway.resilience.DeadlinePolicy())
                .add(httpMetrics)
                .add(authn)
                .add(new AuthorizationPolicy(policy.name()))
                .addAll(traffic.policies(policy, backend))
                .addAll(versionManager.policies(policy))
                .addAll(extraPolicies)
                .addAll(threats.policies(policy))
                .routes(policy.routeTable())
                .fallbackRoute(policy.fallbackRoute())
                .events(events)
                .build();
        return new State(base, policy, pipeline, jwt, backend);
    }

    private RateLimiterBackend backend(RateLimitSettings s, State old) {
        if (customBackend != null) {
            return customBackend;
        }
        return traffic.backend(s);
    }

    private static void warnUnverifiableRoutes(ServicePolicy policy, AuthenticationPolicy authn) {
        List<RoutePolicy> all = new ArrayList<>(policy.routes());
        all.add(policy.fallbackRoute());
        for (RoutePolicy r : all) {
            if (r.access() == Access.AUTHENTICATED && r.authSchemes().stream().noneMatch(authn::supports)) {
                LOG.log(System.Logger.Level.WARNING, "route " + r.id() + " requires authentication by "
                        + r.authSchemes() + " but no such authenticator is configured: every call will be answered 401");
            }
        }
    }

    @Override
    public void close() {
        if (reloader != null) {
            reloader.shutdownNow();
        }
        State s = state;
        if (s.jwt != null) {
            s.jwt.close();
        }
        if (s.backend != null) {
            s.backend.close();
        }
        traffic.close();
        features.close();
        threats.close();
    }

    /** @param base the policy as read from the source, before code routes were added */
    private record State(ServicePolicy base, ServicePolicy policy, Pipeline pipeline, JwtAuthenticator jwt,
                         RateLimiterBackend backend) {
    }

    /** The outcome of {@link #reload()}. */
    public record ReloadResult(boolean applied, String reason) {
        public static ReloadResult success() {
            return new ReloadResult(true, null);
        }

        public static ReloadResult failed(String reason) {
            return new ReloadResult(false, reason);
        }
    }

    /** Builds an {@link AegisGateway}. Not thread-safe. */
    public static final class Builder {
        private Supplier<ServicePolicy> source;
        private UnaryOperator<ServicePolicy> customizer = UnaryOperator.identity();
        private final List<Authenticator> authenticators = new ArrayList<>();
        private final List<GatewayPolicy> policies = new ArrayList<>();
        private RateLimiterBackend backend;
        private GatewayEvents events = new GatewayEvents();
        private Clock clock = Clock.systemUTC();
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();
        private Duration reloadInterval;
        private boolean reloadIntervalSet;
        private final List<DeprecatedVersionListener> versionListeners = new ArrayList<>();
        private Supplier<AegisConfig> configSupplier;
        private io.aegis.gateway.apikey.ApiKeys apiKeys;
        private io.aegis.gateway.oauth.OAuthClients oauthClients;
        private io.aegis.gateway.threat.spi.BanStore banStore;
        private io.aegis.gateway.access.spi.GeoLocator geoLocator;
        private io.aegis.gateway.audit.spi.AuditSink auditSink;

        private Builder() {
        }

        /** A fixed policy (the programmatic path); {@link #reload()} re-applies it. */
        public Builder policy(ServicePolicy policy) {
            Objects.requireNonNull(policy, "policy");
            this.source = () -> policy;
            return this;
        }

        /**
         * A configuration source, read now and on every reload. Its {@code aegis.config.reload-interval}
         * (if set) starts a periodic reload.
         */
        public Builder config(Supplier<AegisConfig> config) {
            Objects.requireNonNull(config, "config");
            this.configSupplier = config;
            this.source = () -> {
                AegisConfig c = config.get();
                if (!reloadIntervalSet) {
                    Duration d = c.duration("aegis.config.reload-interval", null);
                    if (d != null && (d.isNegative() || d.toMillis() < 100)) {
                        throw new ConfigException("aegis.config.reload-interval", d.toString(), "expected: at least 100ms");
                    }
                    reloadInterval = d;
                    reloadIntervalSet = true;
                }
                PolicyConfig.warnUnknownKeys(c, knownPrefixes());
                return PolicyConfig.read(c);
            };
            return this;
        }

        private final List<String> extraPrefixes = new ArrayList<>();

        /** Key prefixes an application reads itself, so they are not reported as typos. */
        public Builder knownKeyPrefixes(String... prefixes) {
            extraPrefixes.addAll(List.of(prefixes));
            return this;
        }

        private Set<String> knownPrefixes() {
            Set<String> s = new java.util.HashSet<>(CORE_KEY_PREFIXES);
            s.add("aegis.redis.");
            s.addAll(List.of("aegis.versions.", "aegis.versioning."));
            s.addAll(extraPrefixes);
            s.addAll(List.of("aegis.apikeys.", "aegis.oauth.")); // read by AuthFeatures
            s.addAll(io.aegis.gateway.config.ThreatConfig.KEY_PREFIXES);
            return s;
        }

        /**
         * Adjusts every policy read from the source before it is applied (on start and on each
         * reload), e.g. to add routes declared in code or a development key source.
         */
        public Builder customize(UnaryOperator<ServicePolicy> customizer) {
            this.customizer = Objects.requireNonNull(customizer, "customizer");
            return this;
        }

        /** An extra authenticator (API keys, introspection, ...); it replaces the built-in one of its scheme. */
        public Builder authenticator(Authenticator authenticator) {
            authenticators.add(Objects.requireNonNull(authenticator, "authenticator"));
            return this;
        }

        /**
         * API keys assembled by the application (e.g. over a pooled data source): their
         * authenticator and usage accounting join the pipeline, and {@link AegisGateway#apiKeys()}
         * answers them. Replaces {@code aegis.apikeys.*}. The application closes them.
         */
        public Builder apiKeys(io.aegis.gateway.apikey.ApiKeys keys) {
            this.apiKeys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** OAuth client registrations built by the application; replaces {@code aegis.oauth.clients.*}. */
        public Builder oauthClients(io.aegis.gateway.oauth.OAuthClients clients) {
            this.oauthClients = Objects.requireNonNull(clients, "clients");
            return this;
        }

        /** An extra policy; its stage decides where it runs. */
        public Builder addPolicy(GatewayPolicy policy) {
            policies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        /** Bans in this store instead of the configured one ({@code aegis.threat.store}); not closed by the gateway. */
        public Builder banStore(io.aegis.gateway.threat.spi.BanStore store) {
            this.banStore = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Audit events to this sink instead of the logger {@code aegis.audit}. */
        public Builder auditSink(io.aegis.gateway.audit.spi.AuditSink sink) {
            this.auditSink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /** Countries from this locator instead of a MaxMind database ({@code aegis.access.geo.database}). */
        public Builder geoLocator(io.aegis.gateway.access.spi.GeoLocator locator) {
            this.geoLocator = Objects.requireNonNull(locator, "locator");
            return this;
        }

        /** Buckets in this backend instead of the one the settings name. */
        public Builder rateLimiterBackend(RateLimiterBackend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        public Builder listener(GatewayEventListener listener) {
            events.addListener(listener);
            return this;
        }

        /**
         * Told when a client still uses a deprecated API version close to its sunset. Without any,
         * listeners are found with {@link java.util.ServiceLoader}, else the use is logged.
         */
        public Builder deprecatedVersionListener(DeprecatedVersionListener listener) {
            versionListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
            return this;
        }

        /** Reloads periodically (overrides {@code aegis.config.reload-interval}); {@code null} turns it off. */
        public Builder reloadInterval(Duration interval) {
            this.reloadInterval = interval;
            this.reloadIntervalSet = true;
            return this;
        }

        /**
         * @throws ConfigException when the configuration is invalid
         * @throws IllegalStateException when neither a policy nor a configuration was given
         */
        public AegisGateway build() {
            if (source == null) {
                throw new IllegalStateException("policy or config must be set");
            }
            return new AegisGateway(this);
        }
    }

    @Override
    public String toString() {
        return "AegisGateway[" + state.policy + "]";
    }
}
