package io.aegis.gateway.config;

import io.aegis.gateway.threat.ThreatSettings;
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
        return ThreatSettings.builder().waf(waf(c)).build();
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
