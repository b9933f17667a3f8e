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
import io.aegis.gateway.ratelimit.LocalRateLimiter;
import io.aegis.gateway.ratelimit.RateLimitPolicy;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEventListener;
import io.aegis.gateway.telemetry.GatewayEvents;
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
            "aegis.ratelimit.", "aegis.routes.", "aegis.config.", "aegis.masking.");

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

    private final List<RoutePolicy> codeRoutes = new CopyOnWriteArrayList<>();
    private volatile State state;

    private AegisGateway(Builder b) {
        this.source = b.source;
        this.customizer = b.customizer;
        this.extraAuthenticators = List.copyOf(b.authenticators);
        this.extraPolicies = List.copyOf(b.policies);
        this.customBackend = b.backend;
        this.events = b.events;
        this.clock = b.clock;
        this.openTelemetry = b.openTelemetry;
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

    /** The JWT authenticator in force, or {@code null} when JWTs are not accepted. */
    public JwtAuthenticator jwtAuthenticator() {
        return state.jwt;
    }

    /**
     * Re-reads the policy from its source and applies it. Never throws: an invalid configuration
     * is logged, published as a {@code config.reload_failed} event and answered as a failure,
     * and the last good policy stays in force.
     */
    public ReloadResult reload() {
        ServicePolicy next;
        try {
            next = customizer.apply(source.get());
        } catch (ConfigException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "configuration reload refused, keeping the last good one: " + e.getMessage());
            events.publish(GatewayEvent.of(GatewayEvent.CONFIG_RELOAD_FAILED, "reason", e.getMessage()));
            return ReloadResult.failed(e.getMessage());
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "configuration reload failed, keeping the last good one", e);
            events.publish(GatewayEvent.of(GatewayEvent.CONFIG_RELOAD_FAILED, "reason", e.getClass().getSimpleName()));
            return ReloadResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        update(next);
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

    /** Applies a new policy now (programmatic reload). */
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
        JwtAuthenticator jwt = null;
        if (policy.jwt() != null) {
            jwt = old != null && old.jwt != null && old.jwt.settings().equals(policy.jwt())
                    ? old.jwt
                    : JwtAuthenticator.builder(policy.jwt()).realm(policy.name()).clock(clock).events(events)
                            .openTelemetry(openTelemetry).build();
        }
        RateLimiterBackend backend = backend(policy.rateLimits(), old);
        List<Authenticator> authenticators = new ArrayList<>(extraAuthenticators);
        if (jwt != null && authenticators.stream().noneMatch(a -> a.scheme() == AuthScheme.JWT)) {
            authenticators.add(jwt);
        }
        AuthenticationPolicy authn = new AuthenticationPolicy(authenticators, policy.name());
        warnUnverifiableRoutes(policy, authn);
        Pipeline pipeline = Pipeline.builder()
                .add(new ClientAddressPolicy(policy.trustedProxies()))
                .add(authn)
                .add(new AuthorizationPolicy(policy.name()))
                .add(new RateLimitPolicy(policy.rateLimits(), backend, policy.name() + ":" + policy.environment()))
                .addAll(extraPolicies)
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
        if (s.backend() != RateLimitSettings.Backend.LOCAL) {
            throw new ConfigException("aegis.ratelimit.backend", s.backend().name().toLowerCase(java.util.Locale.ROOT),
                    "expected: local; no " + s.backend() + " rate-limit backend is installed");
        }
        if (old != null && old.backend instanceof LocalRateLimiter
                && old.policy.rateLimits().maxBuckets() == s.maxBuckets()) {
            return old.backend;
        }
        return new LocalRateLimiter(s.maxBuckets(), System::nanoTime);
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
            s.addAll(extraPrefixes);
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

        /** An extra policy; its stage decides where it runs. */
        public Builder addPolicy(GatewayPolicy policy) {
            policies.add(Objects.requireNonNull(policy, "policy"));
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
