package io.aegis.gateway.threat;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.access.AccessControlPolicy;
import io.aegis.gateway.pipeline.AttributeKey;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.threat.internal.AttackMonitor;
import io.aegis.gateway.threat.internal.ClientStats;
import io.aegis.gateway.threat.spi.Ban;
import io.aegis.gateway.threat.spi.BanStore;
import io.aegis.gateway.waf.WafPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Automatic bans from per-client anomaly scores (see {@link AnomalySettings}), in the
 * {@link Stage#ACCESS_CONTROL} stage: a banned client is answered 403 {@code client-banned} with
 * {@code Retry-After}; every completed request feeds the client's statistics (status, path, WAF
 * detection), which may ban it. Allow-listed clients are never banned. Bans and attacks are
 * published as {@link ThreatEvents}.
 *
 * <p>Thread-safe; the statistics, the ban store and the attack monitor belong to the gateway and
 * outlive reloads.
 */
public final class AnomalyPolicy implements GatewayPolicy {

    private static final AttributeKey<Boolean> BANNED = AttributeKey.of("aegis.threat.banned", Boolean.class);

    private final AnomalySettings settings;
    private final BanStore bans;
    private final Cache<String, ClientStats> stats;
    private final AttackMonitor attacks;
    private final GatewayEvents events;
    private final Clock clock;
    private final ClientStats.Rules rules;
    private final Object baselineLock = new Object();
    private double globalBaseline;

    AnomalyPolicy(AnomalySettings settings, BanStore bans, Cache<String, ClientStats> stats, AttackMonitor attacks,
                  GatewayEvents events, Clock clock) {
        this.settings = settings;
        this.bans = bans;
        this.stats = stats;
        this.attacks = attacks;
        this.events = events;
        this.clock = clock;
        this.rules = new ClientStats.Rules(settings.window().toMillis(), settings.alpha(), settings.minRequests(),
                settings.scanPaths(), settings.rateMultiplier(), settings.rateFloor(), settings.wafPoints(),
                settings.authFailurePoints(), settings.notFoundPoints(), settings.scanPoints(), settings.ratePoints());
    }

    @Override
    public Stage stage() {
        return Stage.ACCESS_CONTROL;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        if (Boolean.TRUE.equals(exchange.attribute(AccessControlPolicy.ALLOW_LISTED))) {
            return Decision.proceed();
        }
        Instant now = clock.instant();
        Ban ban = bans.active(exchange.clientAddress(), now);
        if (ban == null) {
            return Decision.proceed();
        }
        exchange.attribute(BANNED, Boolean.TRUE);
        long seconds = Math.max(1, (Duration.between(now, ban.until()).toMillis() + 999) / 1000);
        return Decision.reject(Problem.builder(ProblemType.CLIENT_BANNED)
                .detail("Too many suspicious requests came from your address; try again later.")
                .with("retry_after", seconds)
                .header("Retry-After", Long.toString(seconds))
                .build());
    }

    @Override
    public void onComplete(Exchange exchange, int status) {
        if (Boolean.TRUE.equals(exchange.attribute(AccessControlPolicy.ALLOW_LISTED))
                || Boolean.TRUE.equals(exchange.attribute(BANNED))) {
            return;
        }
        String client = exchange.clientAddress();
        boolean waf = exchange.attribute(WafPolicy.DETECTION) != null;
        ClientStats s = stats.get(client, k -> new ClientStats());
        long now = clock.millis();
        double baseline;
        synchronized (baselineLock) {
            baseline = globalBaseline;
        }
        double score = s.record(now, exchange.request().path(), status, waf, rules, baseline, this::windowClosed);
        boolean banned = false;
        if (score >= settings.threshold()) {
            String reason = s.lastSignal();
            s.reset();
            Ban ban = bans.ban(client, reason, Instant.ofEpochMilli(now), settings.banTtl(), settings.escalation(),
                    settings.maxBanTtl(), settings.offenseMemory());
            banned = true;
            events.publish(GatewayEvent.of(ThreatEvents.CLIENT_BANNED, "client", client, "reason", reason,
                    "level", ban.level(), "ttl_seconds", Duration.between(Instant.ofEpochMilli(now), ban.until()).toSeconds(),
                    "until", ban.until().toString()));
        }
        if (banned || waf) {
            AttackMonitor.Change change = attacks.record(now, banned, waf);
            if (change == AttackMonitor.Change.STARTED) {
                events.publish(GatewayEvent.of(ThreatEvents.ATTACK_DETECTED, "bans_per_minute", attacks.bansPerMinute(),
                        "detections_per_minute", attacks.detectionsPerMinute()));
            } else if (change == AttackMonitor.Change.ENDED) {
                events.publish(GatewayEvent.of(ThreatEvents.ATTACK_ENDED));
            }
        } else if (attacks.underAttack()) {
            if (attacks.record(now, false, false) == AttackMonitor.Change.ENDED) {
                events.publish(GatewayEvent.of(ThreatEvents.ATTACK_ENDED));
            }
        }
    }

    private void windowClosed(int requests) {
        synchronized (baselineLock) {
            globalBaseline = globalBaseline == 0 ? requests : globalBaseline * (1 - settings.alpha() / 10)
                    + requests * settings.alpha() / 10;
        }
    }

    @Override
    public String name() {
        return "AnomalyPolicy";
    }
}
