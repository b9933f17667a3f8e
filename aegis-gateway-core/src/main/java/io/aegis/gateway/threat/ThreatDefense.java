package io.aegis.gateway.threat;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.access.AccessControlPolicy;
import io.aegis.gateway.access.AccessSettings;
import io.aegis.gateway.access.FeedSettings;
import io.aegis.gateway.access.ListSource;
import io.aegis.gateway.access.internal.MaxMindGeoLocator;
import io.aegis.gateway.access.spi.GeoLocator;
import io.aegis.gateway.audit.AuditLog;
import io.aegis.gateway.audit.AuditSettings;
import io.aegis.gateway.audit.LoggingAuditSink;
import io.aegis.gateway.audit.spi.AuditSink;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.threat.internal.AttackMonitor;
import io.aegis.gateway.threat.internal.ClientStats;
import io.aegis.gateway.threat.internal.MemoryBanStore;
import io.aegis.gateway.threat.internal.RedisBanStore;
import io.aegis.gateway.threat.spi.Ban;
import io.aegis.gateway.threat.spi.BanStore;
import io.aegis.gateway.waf.WafPolicy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The threat-defense state of one gateway that outlives configuration reloads, and the policies
 * it contributes to each pipeline: {@link AccessControlPolicy} and {@link AnomalyPolicy} (stage
 * {@code ACCESS_CONTROL}, in that order) and {@link WafPolicy} ({@code THREAT_INSPECTION}).
 *
 * <p>It owns the IP list files and feeds (reloaded in the background by one daemon thread), the
 * geo database, the ban store (memory or Redis), the per-client statistics and the attack monitor.
 * A reload keeps whatever did not change. Created and closed by {@code AegisGateway}. Thread-safe.
 */
public final class ThreatDefense implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ThreatDefense.class.getName());

    private final GatewayEvents events;
    private final Clock clock;
    private final BanStore customBans;
    private final GeoLocator customGeo;
    private final AuditSink customAudit;
    private AuditLog audit;
    private AuditSettings auditSettings;
    private final Map<String, ListSource> lists = new HashMap<>();
    private final Map<String, ScheduledFuture<?>> schedules = new HashMap<>();
    private ScheduledExecutorService scheduler;
    private Path geoPath;
    private MaxMindGeoLocator geo;
    private AnomalySettings banSettings;
    private BanStore bans;
    private Cache<String, ClientStats> stats;
    private AttackMonitor attacks;

    /**
     * @param bans a ban store to use instead of the configured one, or {@code null}
     * @param geo a country source to use instead of a MaxMind database, or {@code null}
     * @param auditSink where audit events go instead of the logger, or {@code null}
     */
    public ThreatDefense(GatewayEvents events, Clock clock, BanStore bans, GeoLocator geo, AuditSink auditSink) {
        this.events = Objects.requireNonNull(events, "events");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.customBans = bans;
        this.customGeo = geo;
        this.customAudit = auditSink;
        if (events != GatewayEvents.none()) {
            events.addListener(this::onEvent);
        }
    }

    /** The API-key feature's abuse report bans the client like an anomaly does (when anomaly detection is on). */
    static final String API_KEY_ABUSE = "auth.api_key_abuse";

    private void onEvent(GatewayEvent event) {
        if (!API_KEY_ABUSE.equals(event.type()) || !(event.attributes().get("client") instanceof String client)) {
            return;
        }
        BanStore store;
        AnomalySettings a;
        synchronized (this) {
            store = bans;
            a = banSettings;
        }
        if (store == null || a == null || !a.enabled()) {
            return;
        }
        java.time.Instant now = clock.instant();
        Ban ban = store.ban(client, "api_key_abuse", now, a.banTtl(), a.escalation(), a.maxBanTtl(), a.offenseMemory());
        events.publish(GatewayEvent.of(ThreatEvents.CLIENT_BANNED, "client", client, "reason", "api_key_abuse",
                "level", ban.level(), "ttl_seconds", Duration.between(now, ban.until()).toSeconds(),
                "until", ban.until().toString()));
    }

    private void audit(AuditSettings a) {
        if (audit == null || customAudit == null && !a.logger().equals(auditSettings.logger())) {
            AuditLog next = new AuditLog(customAudit != null ? customAudit : new LoggingAuditSink(a.logger()));
            if (audit != null) {
                events.removeListener(audit);
            }
            audit = next;
            events.addListener(audit);
        }
        auditSettings = a;
        audit.enabled(a.enabled());
    }

    /** The audit log in force (after the first policy was applied). */
    public synchronized AuditLog auditLog() {
        return audit;
    }

    /**
     * The policies for a pipeline of this policy (called on start and on every reload).
     *
     * @throws IllegalArgumentException when the settings cannot work (a geo rule without database,
     *     an unreadable database)
     */
    public synchronized List<GatewayPolicy> policies(ServicePolicy policy) {
        ThreatSettings s = policy.threatDefense();
        if (events != GatewayEvents.none()) {
            audit(s.audit());
        }
        List<GatewayPolicy> out = new ArrayList<>(3);
        if (s.access().active()) {
            out.add(access(s.access()));
        }
        if (s.anomaly().enabled()) {
            out.add(anomaly(s.anomaly(), policy.name() + ":" + policy.environment()));
        }
        if (s.waf().enabled()) {
            out.add(new WafPolicy(s.waf(), policy.routeTable(), events));
        }
        return out;
    }

    private AccessControlPolicy access(AccessSettings a) {
        List<ListSource> allow = new ArrayList<>();
        List<ListSource> deny = new ArrayList<>();
        List<ListSource> feeds = new ArrayList<>();
        Map<String, Duration> wanted = new HashMap<>();
        for (Path p : a.allowFiles()) {
            allow.add(list("allow-file:" + p, () -> ListSource.file("allow list " + p, p, events)));
            wanted.put("allow-file:" + p, a.fileCheckInterval());
        }
        for (Path p : a.denyFiles()) {
            deny.add(list("deny-file:" + p, () -> ListSource.file("deny list " + p, p, events)));
            wanted.put("deny-file:" + p, a.fileCheckInterval());
        }
        for (FeedSettings f : a.feeds()) {
            String key = "feed:" + f;
            feeds.add(list(key, () -> ListSource.feed(f, events)));
            wanted.put(key, f.refresh());
        }
        reschedule(wanted);
        GeoLocator locator = customGeo;
        if (locator == null && a.geoDatabase() != null) {
            if (!a.geoDatabase().equals(geoPath)) {
                MaxMindGeoLocator opened = MaxMindGeoLocator.open(a.geoDatabase());
                if (geo != null) {
                    geo.close();
                }
                geo = opened;
                geoPath = a.geoDatabase();
                LOG.log(System.Logger.Level.INFO, "geo database " + geoPath + " (" + opened.databaseType() + ")");
            }
            locator = geo;
        }
        return new AccessControlPolicy(a, allow, deny, feeds, locator);
    }

    private ListSource list(String key, java.util.function.Supplier<ListSource> create) {
        return lists.computeIfAbsent(key, k -> {
            ListSource l = create.get();
            l.refresh(); // the first copy synchronously, so the policy starts with it
            return l;
        });
    }

    private void reschedule(Map<String, Duration> wanted) {
        for (String key : new ArrayList<>(schedules.keySet())) {
            if (!wanted.containsKey(key)) {
                schedules.remove(key).cancel(false);
                lists.remove(key);
            }
        }
        lists.keySet().removeIf(k -> !wanted.containsKey(k));
        for (Map.Entry<String, Duration> e : wanted.entrySet()) {
            if (schedules.containsKey(e.getKey())) {
                continue;
            }
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "aegis-ip-lists");
                    t.setDaemon(true);
                    return t;
                });
            }
            ListSource l = lists.get(e.getKey());
            long ms = e.getValue().toMillis();
            schedules.put(e.getKey(), scheduler.scheduleWithFixedDelay(l::refresh, ms, ms, TimeUnit.MILLISECONDS));
        }
    }

    private AnomalyPolicy anomaly(AnomalySettings a, String namespace) {
        if (bans == null || customBans == null && !sameStore(a, banSettings)) {
            BanStore next = customBans != null ? customBans
                    : a.store() == AnomalySettings.Store.REDIS
                    ? new RedisBanStore(a.redisUri(), "aegis:" + namespace + ":", a.redisTimeout(), Duration.ofSeconds(1))
                    : new MemoryBanStore(a.maxClients());
            if (bans != null && bans != customBans) {
                bans.close();
            }
            bans = next;
        }
        banSettings = a;
        if (stats == null) {
            stats = Caches.builder().maximumSize(a.maxClients()).expireAfterAccess(Duration.ofHours(1)).build();
        }
        if (attacks == null) {
            attacks = new AttackMonitor(a.attackBans(), a.attackDetections());
        }
        return new AnomalyPolicy(a, bans, stats, attacks, events, clock);
    }

    private static boolean sameStore(AnomalySettings a, AnomalySettings b) {
        return b != null && a.store() == b.store() && Objects.equals(a.redisUri(), b.redisUri())
                && a.redisTimeout().equals(b.redisTimeout()) && a.maxClients() == b.maxClients();
    }

    /** The ban in force for a client, or {@code null} (for operators and tests). */
    public synchronized Ban ban(String client) {
        return bans == null ? null : bans.active(client, clock.instant());
    }

    /** Lifts a client's ban (an operator's decision); published as {@link ThreatEvents#CLIENT_UNBANNED}. */
    public synchronized void unban(String client) {
        if (bans != null) {
            bans.unban(client);
            events.publish(GatewayEvent.of(ThreatEvents.CLIENT_UNBANNED, "client", client));
        }
    }

    /** Reloads every IP list file and feed now (normally they reload on their own schedule). */
    public synchronized void refreshLists() {
        lists.values().forEach(ListSource::refresh);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (geo != null) {
            geo.close();
        }
        if (bans != null && bans != customBans) {
            bans.close();
        }
    }
}
