package io.aegis.gateway.config;

import io.aegis.gateway.versioning.ApiVersion;
import io.aegis.gateway.versioning.Brownout;
import io.aegis.gateway.versioning.VersionSource;
import io.aegis.gateway.versioning.VersionStatus;
import io.aegis.gateway.versioning.VersioningSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link VersioningSettings} from configuration: the version catalogue
 * ({@code aegis.versions.<id>.*}, {@code aegis.versions.default}) and how requests name versions
 * ({@code aegis.versioning.*}). Keys and defaults are in {@code docs/configuration.md}.
 *
 * <p>A version is known to the configuration when any of its keys is set, in a properties file or
 * as an environment variable alone ({@code AEGIS_VERSIONS_V1_SUNSET=2026-01-01} declares
 * {@code v1}): MicroProfile Config cannot turn every environment variable back into a dotted key,
 * so those names are recognised here.
 */
public final class VersioningConfig {

    /** Key prefixes read here. */
    public static final List<String> KEY_PREFIXES = List.of("aegis.versions.", "aegis.versioning.");

    private static final Pattern ENV_KEY = Pattern.compile(
            "AEGIS_VERSIONS_(V[0-9]+)_(RELEASE|DEPRECATION|SUNSET|SUCCESSOR|MIGRATION_GUIDE|STATUS|BROWNOUT_[A-Z_]+)");

    private VersioningConfig() {
    }

    /**
     * Reads the versioning settings; versions may be partial (the configuration then overrides a
     * declaration in code field by field).
     *
     * @throws ConfigException naming the first invalid key, its value and the rule
     */
    public static VersioningSettings read(AegisConfig c) {
        VersioningSettings.Builder b = VersioningSettings.builder();
        for (String id : versionIds(c)) {
            b.version(version(c, id));
        }
        c.string("aegis.versions.default").ifPresent(d ->
                apply("aegis.versions.default", d, () -> b.defaultVersion(d)));
        List<String> sources = c.list("aegis.versioning.sources");
        if (!sources.isEmpty()) {
            List<VersionSource> order = new ArrayList<>();
            for (String s : sources) {
                String name = s.trim().replace('-', '_').toUpperCase(Locale.ROOT);
                VersionSource vs = null;
                for (VersionSource candidate : VersionSource.values()) {
                    if (candidate.name().equals(name) && candidate != VersionSource.DEFAULT) {
                        vs = candidate;
                    }
                }
                if (vs == null) {
                    throw new ConfigException("aegis.versioning.sources", String.join(",", sources),
                            "expected: path, header and/or media-type, in the order to try; '" + s + "' is none of them");
                }
                order.add(vs);
            }
            apply("aegis.versioning.sources", String.join(",", sources), () -> b.sources(order));
        }
        c.string("aegis.versioning.header").ifPresent(v -> apply("aegis.versioning.header", v, () -> b.header(v)));
        c.string("aegis.versioning.media-type").ifPresent(v -> apply("aegis.versioning.media-type", v, () -> b.mediaType(v)));
        c.string("aegis.versioning.path-prefix").ifPresent(v -> apply("aegis.versioning.path-prefix", v, () -> b.pathPrefix(v)));
        b.alertDays(c.integer("aegis.versioning.alert.days-before-sunset", VersioningSettings.DEFAULT_ALERT_DAYS, 0, 3650));
        b.maxTracked(c.integer("aegis.versioning.usage.max-entries", VersioningSettings.DEFAULT_MAX_TRACKED, 1, 10_000_000));
        return b.build();
    }

    /** The ids of versions the configuration mentions, from dotted keys and environment variable names. */
    static Set<String> versionIds(AegisConfig c) {
        Set<String> ids = new TreeSet<>();
        for (String child : c.childNames("aegis.versions")) {
            if (!child.equals("default")) {
                ids.add(child);
            }
        }
        for (String name : c.raw().getPropertyNames()) {
            Matcher m = ENV_KEY.matcher(name);
            if (m.matches()) {
                ids.add(m.group(1).toLowerCase(Locale.ROOT));
            }
        }
        for (String id : ids) {
            if (!ApiVersion.isValidId(id)) {
                throw new ConfigException("aegis.versions." + id, null,
                        "expected: a version id of v followed by a number without leading zeros, e.g. aegis.versions.v2.release");
            }
        }
        return ids;
    }

    private static ApiVersion version(AegisConfig c, String id) {
        String p = "aegis.versions." + id + ".";
        ApiVersion.Builder v = ApiVersion.builder(id);
        c.parse(p + "release", ApiVersion::parseInstant).ifPresent(v::release);
        c.parse(p + "deprecation", ApiVersion::parseInstant).ifPresent(v::deprecation);
        c.parse(p + "sunset", ApiVersion::parseInstant).ifPresent(v::sunset);
        c.string(p + "successor").ifPresent(s -> apply(p + "successor", s, () -> v.successor(s)));
        c.string(p + "migration-guide").ifPresent(s -> apply(p + "migration-guide", s, () -> v.migrationGuide(s)));
        Optional<String> status = c.string(p + "status");
        if (status.isPresent() && !status.get().equalsIgnoreCase("auto")) {
            v.forcedStatus(c.choice(p + "status", VersionStatus.class, null));
        }
        Brownout.Builder bo = Brownout.builder();
        boolean any = false;
        Optional<List<Brownout.Window>> windows = c.parse(p + "brownout.windows", Brownout::parseWindows);
        if (windows.isPresent()) {
            bo.windows(windows.get());
            any = true;
        }
        Optional<Double> pct = c.parse(p + "brownout.percentage", Brownout::parsePercentage);
        if (pct.isPresent()) {
            bo.percentage(pct.get());
            any = true;
        }
        c.parse(p + "brownout.from", ApiVersion::parseInstant).ifPresent(bo::from);
        Duration slot = c.duration(p + "brownout.slot", null);
        if (slot != null) {
            apply(p + "brownout.slot", c.stringOr(p + "brownout.slot", ""), () -> bo.slot(slot));
        }
        if (any) {
            v.brownout(bo.build());
        }
        try {
            return v.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(p.substring(0, p.length() - 1), null, e.getMessage(), e);
        }
    }

    private static void apply(String key, String value, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage(), e);
        }
    }
}
