package io.aegis.gateway.versioning;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.versioning.internal.DailyOnce;
import io.aegis.gateway.versioning.internal.UsageCounters;
import io.aegis.gateway.versioning.internal.VersionPath;
import io.aegis.gateway.versioning.spi.DeprecatedUse;
import io.aegis.gateway.versioning.spi.DeprecatedVersionListener;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Holds a service's API versions over its lifetime: validates the catalogue at start and on every
 * reload, makes the pipeline's versioning policies, counts who calls which version, tells the
 * {@link DeprecatedVersionListener}s when a deprecated version is still used close to its sunset,
 * and reports usage ({@link #usageReport()}).
 *
 * <p>What it keeps outlives reloads: the usage counters (bounded, see
 * {@link VersioningSettings#maxTracked()}) and the once-a-day alert bookkeeping. The
 * {@link io.aegis.gateway.AegisGateway} owns one; it is rarely built by hand.
 *
 * <p>Metrics (OpenTelemetry API): the counter {@value #DEPRECATED_CALLS_METRIC} of calls to
 * deprecated versions, with the attributes {@code aegis.api.version} and {@code aegis.client.id}.
 *
 * <p>Thread-safe.
 */
public final class VersionManager {

    /** The event published (besides the listener call) when a deprecated version is used close to its sunset. */
    public static final String DEPRECATED_USE_EVENT = "version.deprecated_use";
    /** The counter of calls to deprecated versions, by version and client. */
    public static final String DEPRECATED_CALLS_METRIC = "aegis.api.deprecated.calls";

    static final AttributeKey<String> VERSION_ATTRIBUTE = AttributeKey.stringKey("aegis.api.version");
    static final AttributeKey<String> CLIENT_ATTRIBUTE = AttributeKey.stringKey("aegis.client.id");
    private static final System.Logger LOG = System.getLogger(VersionManager.class.getName());
    private static final int MAX_CLIENT_KEY = 200;

    private final Clock clock;
    private final GatewayEvents events;
    private final List<DeprecatedVersionListener> listeners;
    private final LongCounter deprecatedCalls;
    private final UsageCounters usage = new UsageCounters(VersioningSettings.DEFAULT_MAX_TRACKED);
    private final DailyOnce alerts = new DailyOnce(VersioningSettings.DEFAULT_MAX_TRACKED);
    private volatile VersioningSettings settings = VersioningSettings.none();

    private VersionManager(Builder b) {
        this.clock = b.clock;
        this.events = b.events;
        List<DeprecatedVersionListener> l = new ArrayList<>(b.listeners);
        if (l.isEmpty()) {
            ServiceLoader.load(DeprecatedVersionListener.class).forEach(l::add);
        }
        if (l.isEmpty()) {
            l.add(new LoggingDeprecatedVersionListener());
        }
        this.listeners = List.copyOf(l);
        this.deprecatedCalls = b.openTelemetry.getMeter("io.aegis.gateway")
                .counterBuilder(DEPRECATED_CALLS_METRIC)
                .setUnit("{call}")
                .setDescription("Calls to deprecated API versions, by version and client")
                .build();
    }

    /**
     * Defaults: the UTC system clock, no event sink, {@code GlobalOpenTelemetry.getOrNoop()}, the
     * listeners found by {@link ServiceLoader} or else the logging one.
     */
    public static Builder builder() {
        return new Builder();
    }

    public Clock clock() {
        return clock;
    }

    /** The versioning settings of the pipeline in force. */
    public VersioningSettings settings() {
        return settings;
    }

    /** The deprecated-use listeners in force. */
    public List<DeprecatedVersionListener> listeners() {
        return listeners;
    }

    /**
     * Lays the policy's versioning settings over versions declared in code, validates the result
     * against the policy's routes at the current time, and answers the policy with the merged
     * settings.
     *
     * @param code versions declared in code (annotations); {@link VersioningSettings#none()} for none
     * @throws IllegalArgumentException naming the version and the rule it breaks
     */
    public ServicePolicy apply(ServicePolicy policy, VersioningSettings code) {
        VersioningSettings merged = policy.versioning().overriding(code);
        validate(merged, policy.routes(), clock.instant());
        return merged.equals(policy.versioning()) ? policy : policy.toBuilder().versioning(merged).build();
    }

    /**
     * The versioning policies of a pipeline for this (validated) policy: the version resolution at
     * {@link io.aegis.gateway.pipeline.Stage#VERSION} and the brownouts at
     * {@link io.aegis.gateway.pipeline.Stage#AUTHORIZATION} (they need the authenticated client).
     * Empty when the catalogue is. The settings become the ones {@link #settings()} answers.
     */
    public List<GatewayPolicy> policies(ServicePolicy policy) {
        VersioningSettings s = policy.versioning();
        if (!s.equals(settings) && s.enabled()) {
            Instant now = clock.instant();
            ApiVersion d = s.defaultVersion(now);
            LOG.log(System.Logger.Level.INFO, "API versions of " + policy.name() + ": " + s.versions().stream()
                    .map(v -> v.id() + " (" + v.status(now).id() + (v.sunset() == null ? "" : ", sunset " + v.sunset())
                            + (d == v ? ", default" : "") + ")")
                    .collect(Collectors.joining(", ")) + "; sources " + s.sources().stream().map(VersionSource::id).toList());
        }
        this.settings = s;
        usage.max(s.maxTracked());
        if (!s.enabled()) {
            return List.of();
        }
        return List.of(new VersionPolicy(s, policy.routeTable(), this), new BrownoutPolicy(this));
    }

    /**
     * Checks a catalogue as a whole, at a point in time:
     * <ul>
     *   <li>a declared default version exists and is not sunset (several declared defaults are
     *       refused when declarations are combined);</li>
     *   <li>a successor exists and is newer than the version it succeeds;</li>
     *   <li>a route's version ({@code version} of the route, or the version segment of its path)
     *       is in the catalogue, and the two agree;</li>
     *   <li>no route is served only by a sunset version that names no successor.</li>
     * </ul>
     * Without any version, only the first part of the route rule applies: a route naming a
     * version is an error.
     *
     * @throws IllegalArgumentException naming the version (and route) and the rule
     */
    public static void validate(VersioningSettings s, Collection<RoutePolicy> routes, Instant now) {
        if (!s.enabled()) {
            for (RoutePolicy r : routes) {
                if (r.version() != null) {
                    throw new IllegalArgumentException("route " + r.id() + " names API version " + r.version()
                            + ", but no API versions are declared (expected: aegis.versions." + r.version()
                            + ".* or @ApiVersion declaring it)");
                }
            }
            return;
        }
        List<String> ids = s.versions().stream().map(ApiVersion::id).toList();
        String declared = s.declaredDefault();
        if (declared != null) {
            ApiVersion d = s.version(declared);
            if (d == null) {
                throw new IllegalArgumentException("default API version " + declared + " is not in the catalogue "
                        + ids + " (expected: one of them)");
            }
            if (d.status(now) == VersionStatus.SUNSET) {
                throw new IllegalArgumentException("default API version " + declared
                        + " is sunset (expected: a default version that is not sunset)");
            }
        }
        for (ApiVersion v : s.versions()) {
            if (v.successor() == null) {
                continue;
            }
            ApiVersion succ = s.version(v.successor());
            if (succ == null) {
                throw new IllegalArgumentException("API version " + v.id() + " names successor " + v.successor()
                        + ", which is not in the catalogue " + ids + " (expected: a declared version)");
            }
            if (succ.number() <= v.number()) {
                throw new IllegalArgumentException("API version " + v.id() + " names successor " + v.successor()
                        + ", which is not newer (expected: a newer version)");
            }
        }
        Map<String, List<String>> versionsByShape = new HashMap<>();
        Map<RoutePolicy, ApiVersion> routeVersions = new LinkedHashMap<>();
        for (RoutePolicy r : routes) {
            String pathVersion = VersionPath.templateVersion(r.path(), s.prefixSegments());
            if (r.version() != null && pathVersion != null && !r.version().equals(pathVersion)) {
                throw new IllegalArgumentException("route " + r.id() + " names API version " + r.version()
                        + " but its path is under " + pathVersion + " (expected: the same version)");
            }
            String id = r.version() != null ? r.version() : pathVersion;
            if (id == null) {
                continue;
            }
            ApiVersion v = s.version(id);
            if (v == null) {
                throw new IllegalArgumentException("route " + r.id() + " is in API version " + id
                        + ", which is not in the catalogue " + ids + " (expected: a declared version)");
            }
            routeVersions.put(r, v);
            versionsByShape.computeIfAbsent(shape(r, s), k -> new ArrayList<>()).add(id);
        }
        for (Map.Entry<RoutePolicy, ApiVersion> e : routeVersions.entrySet()) {
            ApiVersion v = e.getValue();
            if (v.status(now) != VersionStatus.SUNSET || v.successor() != null) {
                continue;
            }
            boolean servedElsewhere = versionsByShape.get(shape(e.getKey(), s)).stream()
                    .anyMatch(other -> s.version(other).status(now) != VersionStatus.SUNSET);
            if (!servedElsewhere) {
                throw new IllegalArgumentException("route " + e.getKey().id() + " is served only by API version "
                        + v.id() + ", which is sunset and names no successor (expected: a successor for " + v.id()
                        + ", or the route in a version that is not sunset)");
            }
        }
    }

    private static String shape(RoutePolicy r, VersioningSettings s) {
        return r.method() + " " + VersionPath.unversionedShape(r.path(), s.prefixSegments());
    }

    /** Who called which version, every version; {@link VersionUsageReport#deprecatedOnly()} narrows it. */
    public VersionUsageReport usageReport() {
        VersioningSettings s = settings;
        Instant now = clock.instant();
        List<VersionUsageReport.VersionInfo> infos = new ArrayList<>();
        for (ApiVersion v : s.versions()) {
            infos.add(new VersionUsageReport.VersionInfo(v.id(), v.status(now), v.release(), v.deprecation(), v.sunset(),
                    v.successor(), v.migrationGuide() == null ? null : v.migrationGuide().toString()));
        }
        Map<String, List<UsageCounters.Row>> byClientVersion = usage.snapshot().stream()
                .collect(Collectors.groupingBy(r -> r.client() + '\n' + r.version(), LinkedHashMap::new, Collectors.toList()));
        List<VersionUsageReport.ClientUsage> clients = new ArrayList<>();
        for (List<UsageCounters.Row> rows : byClientVersion.values()) {
            UsageCounters.Row first = rows.get(0);
            ApiVersion v = s.version(first.version());
            if (v == null) {
                continue; // removed from the catalogue since
            }
            long calls = 0;
            long firstSeen = Long.MAX_VALUE;
            long lastSeen = Long.MIN_VALUE;
            Map<String, Long> byRoute = new LinkedHashMap<>();
            rows.sort(Comparator.comparing(UsageCounters.Row::route));
            for (UsageCounters.Row r : rows) {
                calls += r.calls();
                firstSeen = Math.min(firstSeen, r.firstSeenMillis());
                lastSeen = Math.max(lastSeen, r.lastSeenMillis());
                byRoute.merge(r.route(), r.calls(), Long::sum);
            }
            clients.add(new VersionUsageReport.ClientUsage(first.client(), v.id(), v.status(now), v.sunset(),
                    v.successor(), calls, Instant.ofEpochMilli(firstSeen), Instant.ofEpochMilli(lastSeen), byRoute));
        }
        clients.sort(Comparator.comparing(VersionUsageReport.ClientUsage::lastSeen).reversed()
                .thenComparing(VersionUsageReport.ClientUsage::client));
        ApiVersion d = s.defaultVersion(now);
        return new VersionUsageReport(now, d == null ? null : d.id(), infos, clients);
    }

    /** Forgets every usage counter (for example after a report was archived). */
    public void resetUsage() {
        usage.clear();
    }

    /** Counts a completed call of a resolved version; alerts when a deprecated version nears its sunset. */
    void completed(ResolvedVersion rv, Exchange exchange) {
        String client = clientKey(exchange);
        String route = exchange.route() == null ? "(unrouted)" : exchange.route().id();
        Instant now = clock.instant();
        String counted = usage.record(rv.id(), route, client, now.toEpochMilli());
        if (rv.status() != VersionStatus.DEPRECATED) {
            return;
        }
        deprecatedCalls.add(1, Attributes.of(VERSION_ATTRIBUTE, rv.id(), CLIENT_ATTRIBUTE, counted));
        ApiVersion v = rv.version();
        if (v.sunset() == null || !now.isBefore(v.sunset())) {
            return;
        }
        Duration left = Duration.between(now, v.sunset());
        if (left.compareTo(Duration.ofDays(settings.alertDays())) > 0) {
            return;
        }
        long day = Math.floorDiv(now.getEpochSecond(), 86_400L);
        if (!alerts.first(client + '\n' + v.id(), day)) {
            return;
        }
        DeprecatedUse use = new DeprecatedUse(client, v.id(), route, v.sunset(), left.toDays(), v.successor(),
                v.migrationGuide(), now);
        for (DeprecatedVersionListener l : listeners) {
            try {
                l.onDeprecatedUse(use);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "deprecated-version listener " + l + " failed", e);
            }
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("client", client);
        attrs.put("version", v.id());
        attrs.put("route", route);
        attrs.put("sunset", v.sunset().toString());
        attrs.put("days_to_sunset", left.toDays());
        if (v.successor() != null) {
            attrs.put("successor", v.successor());
        }
        events.publish(new GatewayEvent(DEPRECATED_USE_EVENT, now, attrs));
    }

    /**
     * The key a client is counted and browned out by: {@code api-key:<id>} for an API key,
     * {@code sub:<subject>} for another authenticated principal, else {@code ip:<client address>}.
     */
    static String clientKey(Exchange exchange) {
        Principal p = exchange.principal();
        String key;
        if (p != null && p.scheme() == AuthScheme.API_KEY && p.credentialId() != null) {
            key = "api-key:" + p.credentialId();
        } else if (p != null) {
            key = "sub:" + p.subject();
        } else {
            key = "ip:" + exchange.clientAddress();
        }
        return key.length() > MAX_CLIENT_KEY ? key.substring(0, MAX_CLIENT_KEY) : key;
    }

    @Override
    public String toString() {
        return "VersionManager[" + settings + ", " + usage.size() + " usage counters]";
    }

    /** Builds a {@link VersionManager}. Not thread-safe. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private GatewayEvents events = GatewayEvents.none();
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();
        private final List<DeprecatedVersionListener> listeners = new ArrayList<>();

        private Builder() {
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder events(GatewayEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
            return this;
        }

        /** Adds a listener; with any added, none is looked up with {@link ServiceLoader} and the logging default is off. */
        public Builder listener(DeprecatedVersionListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public VersionManager build() {
            return new VersionManager(this);
        }
    }
}
