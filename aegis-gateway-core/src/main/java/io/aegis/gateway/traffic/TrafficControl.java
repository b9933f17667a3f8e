package io.aegis.gateway.traffic;

import io.aegis.gateway.adaptive.AdaptiveLimiter;
import io.aegis.gateway.adaptive.AdaptiveSettings;
import io.aegis.gateway.adaptive.LoadSheddingPolicy;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.quota.InMemoryQuotaStore;
import io.aegis.gateway.quota.QuotaPolicy;
import io.aegis.gateway.quota.QuotaService;
import io.aegis.gateway.quota.RedisQuotaStore;
import io.aegis.gateway.quota.spi.QuotaStore;
import io.aegis.gateway.ratelimit.BurstCredits;
import io.aegis.gateway.ratelimit.EmergencyMode;
import io.aegis.gateway.ratelimit.LocalRateLimiter;
import io.aegis.gateway.ratelimit.RateLimitPolicy;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.ratelimit.RedisRateLimiter;
import io.aegis.gateway.ratelimit.internal.RedisEmergencySharing;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.redis.internal.SharedRedis;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The traffic control of one gateway: builds the rate-limit backend the settings name (local
 * buckets, or Redis with its fallback), the policies of stage {@code RATE_LIMIT} in their order
 * (emergency refusal of anonymous traffic, adaptive load shedding, rate limits, quotas), and owns
 * the state that outlives configuration reloads: the {@link EmergencyMode} (shared among the
 * replicas through Redis with the Redis backend), the
 * {@link AdaptiveLimiter}, {@link BurstCredits} and the {@link QuotaService}.
 *
 * <p>It listens to the gateway's events: {@value #ATTACK_EVENT} (published by threat detection)
 * enters emergency mode when {@code aegis.ratelimit.emergency.on-attack} is set; events whose type
 * starts with {@code waf.} or {@code threat.} naming a {@code client} or {@code subject} take that
 * client's burst credit. Redis availability changes are published once each as
 * {@value #REDIS_DOWN_EVENT} / {@value #REDIS_UP_EVENT} and counted in the metric
 * {@code aegis.redis.state_changes}.
 *
 * <p>Thread-safe.
 */
public final class TrafficControl implements AutoCloseable {

    /** The event threat detection publishes when it sees an attack. */
    public static final String ATTACK_EVENT = "threat.attack_detected";
    /** Redis stopped answering; store-backed policies follow their failure mode. */
    public static final String REDIS_DOWN_EVENT = "redis.unavailable";
    /** Redis answers again. */
    public static final String REDIS_UP_EVENT = "redis.available";

    private static final AttributeKey<String> STATE = AttributeKey.stringKey("state");

    private final Clock clock;
    private final GatewayEvents events;
    private final EmergencyMode emergency;
    private final BurstCredits credits;
    private final AdaptiveLimiter adaptive;
    private final QuotaService quotas;
    private final LongCounter redisStateChanges;
    private final LongSupplier nanoTime;
    private RateLimitSettings backendSettings; // guarded by this
    private RateLimiterBackend backend; // guarded by this
    private SharedRedis.Handle monitor; // guarded by this
    private String quotaStoreKey = "memory"; // guarded by this
    private RedisEmergencySharing sharing; // guarded by this
    private String sharingKey = "none"; // guarded by this

    /**
     * @param clock wall time (quota periods, emergency holds, distributed buckets)
     * @param events the gateway's events, listened to and published on
     * @param openTelemetry where metrics go
     */
    public TrafficControl(Clock clock, GatewayEvents events, OpenTelemetry openTelemetry) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.emergency = new EmergencyMode(clock, events);
        this.credits = new BurstCredits(clock);
        this.nanoTime = nanoTime(clock);
        this.adaptive = new AdaptiveLimiter(AdaptiveSettings.defaults(), nanoTime);
        this.quotas = new QuotaService(new InMemoryQuotaStore(), clock, events);
        Meter meter = openTelemetry.getMeter("io.aegis.gateway");
        this.redisStateChanges = meter.counterBuilder("aegis.redis.state_changes")
                .setDescription("Redis availability changes seen by the gateway").build();
        meter.gaugeBuilder("aegis.ratelimit.adaptive.limit").ofLongs()
                .setDescription("The adaptive concurrency limit").buildWithCallback(m -> m.record(adaptive.limit()));
        meter.gaugeBuilder("aegis.ratelimit.adaptive.inflight").ofLongs()
                .setDescription("Requests in flight under the adaptive limit").buildWithCallback(m -> m.record(adaptive.inflight()));
        if (events != GatewayEvents.none()) {
            events.addListener(this::onEvent);
        }
    }

    /**
     * The time source of local buckets and latency measurement: the monotonic {@link System#nanoTime()}
     * with the system clock, else the injected clock's time (so tests that move the clock move buckets).
     */
    private static LongSupplier nanoTime(Clock clock) {
        if (clock.equals(Clock.systemUTC()) || clock.equals(Clock.systemDefaultZone())) {
            return System::nanoTime;
        }
        return () -> {
            java.time.Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        };
    }

    public EmergencyMode emergency() {
        return emergency;
    }

    public AdaptiveLimiter adaptive() {
        return adaptive;
    }

    public BurstCredits burstCredits() {
        return credits;
    }

    public QuotaService quotas() {
        return quotas;
    }

    /** Whether Redis answers, or {@code null} when no feature uses Redis. */
    public synchronized Boolean redisAvailable() {
        return monitor == null ? null : monitor.available();
    }

    /**
     * The rate-limit backend for these settings: the current one while its settings are unchanged,
     * else a new one (the caller closes the one it replaces).
     */
    public synchronized RateLimiterBackend backend(RateLimitSettings s) {
        if (backend != null && backendSettings != null && backendSettings.backend() == s.backend()
                && backendSettings.maxBuckets() == s.maxBuckets()
                && (s.backend() == RateLimitSettings.Backend.LOCAL
                    || backendSettings.redis().equals(s.redis()) && backendSettings.failureMode() == s.failureMode())) {
            backendSettings = s;
            return backend;
        }
        LocalRateLimiter local = new LocalRateLimiter(s.maxBuckets(), nanoTime);
        if (s.backend() == RateLimitSettings.Backend.REDIS) {
            monitor(s.redis());
            backend = RedisRateLimiter.builder(s.redis()).failureMode(s.failureMode()).fallback(local).clock(clock)
                    .maxKeys(s.maxBuckets()).build();
        } else {
            backend = local;
        }
        backendSettings = s;
        return backend;
    }

    private void monitor(RedisSettings redis) {
        if (monitor != null && monitor.settings().equals(redis)) {
            return;
        }
        if (monitor != null) {
            monitor.close();
        }
        monitor = SharedRedis.acquire(redis);
        String uri = redis.safeUri();
        monitor.onStateChange(up -> {
            redisStateChanges.add(1, Attributes.of(STATE, up ? "available" : "unavailable"));
            events.publish(GatewayEvent.of(up ? REDIS_UP_EVENT : REDIS_DOWN_EVENT, "uri", uri));
        });
    }

    /**
     * The policies of stage {@code RATE_LIMIT} for a policy, in order; applies its traffic
     * settings to the state kept here.
     */
    public synchronized List<GatewayPolicy> policies(ServicePolicy policy, RateLimiterBackend backend) {
        String ns = policy.name() + ":" + policy.environment();
        TrafficSettings t = policy.traffic();
        RateLimitSettings rl = policy.rateLimits();
        emergency.configure(t.emergency());
        emergencySharing(rl, t, ns);
        credits.configure(t.burstCredit());
        adaptive.configure(t.adaptive());
        quotaStore(rl, t, ns);
        quotas.configure(t.quotas());
        Predicate<Exchange> exempt = exemption(t.exemptPaths());
        return List.of(
                new EmergencyPolicy(emergency, exempt),
                new LoadSheddingPolicy(adaptive, exempt),
                new RateLimitPolicy(rl, backend, ns, emergency, t.burstCredit().enabled() ? credits : null),
                new QuotaPolicy(quotas, t.quotas(), rl.apiKeyHeader(), exempt));
    }

    /** With the Redis backend, replicas share emergency mode through Redis. */
    private void emergencySharing(RateLimitSettings rl, TrafficSettings t, String ns) {
        boolean redis = rl.backend() == RateLimitSettings.Backend.REDIS;
        String key = redis ? rl.redis() + "|" + ns + "|" + t.emergency().shareInterval() : "none";
        if (key.equals(sharingKey)) {
            return;
        }
        if (sharing != null) {
            sharing.close();
            sharing = null;
        }
        if (redis) {
            sharing = new RedisEmergencySharing(emergency, rl.redis(), ns, t.emergency().shareInterval(), clock);
        }
        sharingKey = key;
    }

    private void quotaStore(RateLimitSettings rl, TrafficSettings t, String ns) {
        boolean redis = rl.backend() == RateLimitSettings.Backend.REDIS && t.quotas().enabled();
        String key = redis ? "redis|" + rl.redis() + "|" + ns + "|" + t.quotas().failureMode() : "memory";
        if (key.equals(quotaStoreKey)) {
            return;
        }
        QuotaStore next;
        if (redis) {
            monitor(rl.redis());
            next = new RedisQuotaStore(rl.redis(), ns, t.quotas().failureMode(), new InMemoryQuotaStore());
        } else {
            next = new InMemoryQuotaStore();
        }
        quotas.store(next).close();
        quotaStoreKey = key;
    }

    private static Predicate<Exchange> exemption(List<String> prefixes) {
        String[] ps = prefixes.toArray(new String[0]);
        return ex -> {
            RoutePolicy r = ex.route();
            if (r != null && "true".equals(r.properties().get(TrafficSettings.EXEMPT_PROPERTY))) {
                return true;
            }
            String path = ex.request().path();
            for (String p : ps) {
                if (path.startsWith(p) && (path.length() == p.length() || path.charAt(p.length()) == '/' || p.endsWith("/"))) {
                    return true;
                }
            }
            return false;
        };
    }

    private void onEvent(GatewayEvent e) {
        String type = e.type();
        if (ATTACK_EVENT.equals(type)) {
            Object detail = e.attributes().get("reason");
            emergency.attackDetected(detail == null ? null : detail.toString());
        }
        if ((type.startsWith("waf.") || type.startsWith("threat.")) && credits.settings().enabled()) {
            Object client = e.attributes().get("client");
            Object subject = e.attributes().get("subject");
            if (client != null) {
                credits.penalize("ip:" + client);
            }
            if (subject != null) {
                credits.penalize("u:" + subject);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (sharing != null) {
            sharing.close();
            sharing = null;
        }
        quotas.close();
        if (monitor != null) {
            monitor.close();
            monitor = null;
        }
    }
}
