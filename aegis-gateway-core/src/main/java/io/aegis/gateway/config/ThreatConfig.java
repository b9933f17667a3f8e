package io.aegis.gateway.config;

import io.aegis.gateway.access.AccessSettings;
import io.aegis.gateway.access.FeedSettings;
import io.aegis.gateway.network.Cidr;
import io.aegis.gateway.threat.AnomalySettings;
import io.aegis.gateway.threat.ThreatSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import io.aegis.gateway.waf.AttackType;
import io.aegis.gateway.waf.WafExclusion;
import io.aegis.gateway.waf.WafMode;
import io.aegis.gateway.waf.WafSettings;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the threat-defense settings ({@code aegis.waf.*}, {@code aegis.access.*},
 * {@code aegis.threat.*}, {@code aegis.audit.*}); every key is in {@code docs/configuration.md}
 * with its default and has a builder method.
 */
public final class ThreatConfig {

    /** The key prefixes read here, so they are not reported as typos. */
    public static final Set<String> KEY_PREFIXES = Set.of("aegis.waf.", "aegis.access.", "aegis.threat.", "aegis.audit.");

    private ThreatConfig() {
    }

    /**
     * @throws ConfigException naming the first invalid key, its value and the rule
     */
    public static ThreatSettings read(AegisConfig c) {
        return ThreatSettings.builder().waf(waf(c)).access(access(c)).anomaly(anomaly(c))
                .audit(new io.aegis.gateway.audit.AuditSettings(c.bool("aegis.audit.enabled", true),
                        c.stringOr("aegis.audit.logger", io.aegis.gateway.audit.LoggingAuditSink.DEFAULT_LOGGER)))
                .build();
    }

    /** IP lists, files, feeds and geo rules. */
    public static AccessSettings access(AegisConfig c) {
        AccessSettings.Builder a = AccessSettings.builder();
        a.allow(cidrs(c, "aegis.access.allow"));
        a.deny(cidrs(c, "aegis.access.deny"));
        for (String f : c.list("aegis.access.allow-files")) {
            a.allowFile(Path.of(f));
        }
        for (String f : c.list("aegis.access.deny-files")) {
            a.denyFile(Path.of(f));
        }
        Duration check = c.duration("aegis.access.file-check-interval", Duration.ofSeconds(5));
        apply("aegis.access.file-check-interval", check.toString(), () -> a.fileCheckInterval(check));
        c.string("aegis.access.geo.database").ifPresent(p -> a.geoDatabase(Path.of(p)));
        List<String> allowCountries = c.list("aegis.access.geo.allow-countries");
        apply("aegis.access.geo.allow-countries", String.join(",", allowCountries),
                () -> a.allowCountries(allowCountries.toArray(new String[0])));
        List<String> denyCountries = c.list("aegis.access.geo.deny-countries");
        apply("aegis.access.geo.deny-countries", String.join(",", denyCountries),
                () -> a.denyCountries(denyCountries.toArray(new String[0])));
        a.allowUnknownCountry(c.bool("aegis.access.geo.allow-unknown", true));
        if ((!allowCountries.isEmpty() || !denyCountries.isEmpty()) && c.string("aegis.access.geo.database").isEmpty()) {
            throw new ConfigException("aegis.access.geo.database", null,
                    "expected: a MaxMind GeoIP2/GeoLite2 .mmdb file when country rules are set");
        }
        for (String id : c.childNames("aegis.access.feeds")) {
            String p = "aegis.access.feeds." + id + ".";
            String location = c.string(p + "location").orElseThrow(() ->
                    new ConfigException(p + "location", null, "expected: a file: path or http(s): URL for feed " + id));
            URI uri = c.parse(p + "location", v -> v.contains("://") || v.startsWith("file:")
                    ? URI.create(v) : Path.of(v).toUri()).orElseThrow();
            Duration refresh = c.duration(p + "refresh", Duration.ofHours(1));
            Duration timeout = c.duration(p + "timeout", Duration.ofSeconds(10));
            long maxBytes = c.integer(p + "max-bytes", 16 << 20, 1, Integer.MAX_VALUE);
            int maxEntries = c.integer(p + "max-entries", 1_000_000, 1, 100_000_000);
            try {
                a.feed(new FeedSettings(id, uri, refresh, timeout, maxBytes, maxEntries));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p + "location", location, e.getMessage(), e);
            }
        }
        return a.build();
    }

    private static List<Cidr> cidrs(AegisConfig c, String key) {
        List<Cidr> out = new ArrayList<>();
        for (String v : c.list(key)) {
            try {
                out.add(Cidr.parse(v));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key, v, e.getMessage(), e);
            }
        }
        return out;
    }

    /** Anomaly detection and bans. */
    public static AnomalySettings anomaly(AegisConfig c) {
        AnomalySettings.Builder a = AnomalySettings.builder();
        a.enabled(c.bool("aegis.threat.enabled", false));
        Duration window = c.duration("aegis.threat.window", Duration.ofSeconds(10));
        apply("aegis.threat.window", window.toString(), () -> a.window(window));
        double alpha = number(c, "aegis.threat.alpha", 0.3);
        apply("aegis.threat.alpha", Double.toString(alpha), () -> a.alpha(alpha));
        double threshold = number(c, "aegis.threat.threshold", 10);
        apply("aegis.threat.threshold", Double.toString(threshold), () -> a.threshold(threshold));
        double waf = number(c, "aegis.threat.points.waf", 4);
        double auth = number(c, "aegis.threat.points.auth-failures", 6);
        double notFound = number(c, "aegis.threat.points.not-found", 5);
        double scanning = number(c, "aegis.threat.points.scanning", 6);
        double rate = number(c, "aegis.threat.points.rate", 8);
        apply("aegis.threat.points", waf + "," + auth + "," + notFound + "," + scanning + "," + rate,
                () -> a.points(waf, auth, notFound, scanning, rate));
        a.minRequests(c.integer("aegis.threat.min-requests", 20, 1, 1_000_000));
        a.scanPaths(c.integer("aegis.threat.scan-paths", 40, 2, 100_000));
        double multiplier = number(c, "aegis.threat.rate.multiplier", 10);
        int floor = c.integer("aegis.threat.rate.floor", 300, 1, 100_000_000);
        apply("aegis.threat.rate.multiplier", Double.toString(multiplier), () -> a.rate(multiplier, floor));
        Duration ttl = c.duration("aegis.threat.ban.ttl", Duration.ofMinutes(5));
        double escalation = number(c, "aegis.threat.ban.escalation", 4);
        Duration max = c.duration("aegis.threat.ban.max-ttl", Duration.ofHours(24));
        Duration memory = c.duration("aegis.threat.ban.memory", Duration.ofHours(24));
        apply("aegis.threat.ban.ttl", ttl.toString(), () -> a.ban(ttl, escalation, max, memory));
        AnomalySettings.Store store = c.choice("aegis.threat.store", AnomalySettings.Store.class, AnomalySettings.Store.MEMORY);
        if (store == AnomalySettings.Store.REDIS) {
            String uri = c.string("aegis.threat.redis.uri").orElseThrow(() -> new ConfigException("aegis.threat.redis.uri",
                    null, "expected: redis://host:port when aegis.threat.store=redis"));
            Duration timeout = c.duration("aegis.threat.redis.timeout", Duration.ofMillis(200));
            apply("aegis.threat.redis.uri", uri, () -> a.redisStore(uri, timeout));
        }
        a.attack(c.integer("aegis.threat.attack.bans-per-minute", 5, 1, 1_000_000),
                c.integer("aegis.threat.attack.detections-per-minute", 100, 1, 100_000_000));
        a.maxClients(c.integer("aegis.threat.max-clients", 100_000, 100, 100_000_000));
        return a.build();
    }

    private static double number(AegisConfig c, String key, double defaultValue) {
        return c.parse(key, v -> {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected: a number");
            }
        }).orElse(defaultValue);
    }

    private static void apply(String key, String value, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage(), e);
        }
    }

    /** The WAF settings. */
    public static WafSettings waf(AegisConfig c) {
        WafSettings.Builder w = WafSettings.builder();
        w.enabled(c.bool("aegis.waf.enabled", false));
        w.mode(c.choice("aegis.waf.mode", WafMode.class, WafMode.BLOCK));
        w.paranoiaLevel(c.integer("aegis.waf.paranoia-level", 1, 1, 3));
        w.maxBodyBytes(c.integer("aegis.waf.body.max-bytes", 128 * 1024, 0, 16 * 1024 * 1024));
        w.oversize(c.choice("aegis.waf.body.oversize", WafSettings.Oversize.class, WafSettings.Oversize.REJECT));
        List<String> headers = c.list("aegis.waf.headers");
        if (c.string("aegis.waf.headers").isPresent()) {
            w.headers(headers);
        }
        List<String> attacks = c.list("aegis.waf.attacks");
        if (!attacks.isEmpty()) {
            w.attacks(attackTypes(c, "aegis.waf.attacks"));
        }
        for (String id : c.childNames("aegis.waf.exclusions")) {
            w.exclusion(exclusion(c, id));
        }
        return w.build();
    }

    private static WafExclusion exclusion(AegisConfig c, String id) {
        String p = "aegis.waf.exclusions." + id + ".";
        WafExclusion.Builder e = WafExclusion.builder(id);
        c.string(p + "route").ifPresent(e::route);
        if (c.string(p + "path").isPresent()) {
            String method = c.stringOr(p + "method", "*");
            c.parse(p + "path", v -> e.path(method, v));
        }
        List<String> fields = c.list(p + "fields");
        e.fields(fields.toArray(new String[0]));
        if (!c.list(p + "attacks").isEmpty()) {
            e.attacks(attackTypes(c, p + "attacks").toArray(new AttackType[0]));
        }
        try {
            return e.build();
        } catch (IllegalArgumentException ex) {
            throw new ConfigException(p + "path", null, ex.getMessage(), ex);
        }
    }

    private static Set<AttackType> attackTypes(AegisConfig c, String key) {
        Set<AttackType> out = EnumSet.noneOf(AttackType.class);
        for (String a : c.list(key)) {
            try {
                out.add(AttackType.parse(a));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException(key, a, ex.getMessage(), ex);
            }
        }
        return out;
    }
}
