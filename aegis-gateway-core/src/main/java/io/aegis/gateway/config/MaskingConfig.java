package io.aegis.gateway.config;

import io.aegis.gateway.masking.Detector;
import io.aegis.gateway.masking.MaskingPolicy;
import io.aegis.gateway.masking.MaskingSettings;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the masking part of the policy: {@code aegis.masking.*} (service-wide) and
 * {@code aegis.routes.<id>.masking.*} (per route). Every key is in {@code docs/configuration.md};
 * each has a builder method ({@link MaskingSettings.Builder}, {@link MaskingPolicy.Builder}).
 */
public final class MaskingConfig {

    private MaskingConfig() {
    }

    /**
     * The service's masking settings.
     *
     * @throws ConfigException naming the first invalid key, its value and the rule
     */
    public static MaskingSettings settings(AegisConfig c) {
        MaskingSettings.Builder b = MaskingSettings.builder();
        b.enabled(c.bool("aegis.masking.enabled", true));
        c.string("aegis.masking.exempt-scope").ifPresent(v -> b.exemptScope(scopeOrNone("aegis.masking.exempt-scope", v)));
        b.maxBufferBytes(c.integer("aegis.masking.max-buffer-bytes", MaskingSettings.DEFAULT_MAX_BUFFER_BYTES, 1024,
                256 << 20));
        b.serviceRules(policy(c, "aegis.masking.", false).orElse(MaskingPolicy.none()));
        return b.build();
    }

    /**
     * The masking of route {@code aegis.routes.<id>.}, when any of its {@code masking.*} keys is set.
     *
     * @param routePrefix {@code aegis.routes.<id>.}
     */
    public static Optional<MaskingPolicy> route(AegisConfig c, String routePrefix) {
        return policy(c, routePrefix + "masking.", true);
    }

    private static Optional<MaskingPolicy> policy(AegisConfig c, String p, boolean withScope) {
        List<String> fields = c.list(p + "fields");
        List<String> paths = c.list(p + "paths");
        List<String> detectors = c.list(p + "detectors");
        Optional<String> scope = withScope ? c.string(p + "exempt-scope") : Optional.empty();
        if (fields.isEmpty() && paths.isEmpty() && detectors.isEmpty() && scope.isEmpty()) {
            return Optional.empty();
        }
        MaskingPolicy.Builder m = MaskingPolicy.builder().fields(fields);
        if (!detectors.isEmpty()) {
            m.detectors(c.parse(p + "detectors", v -> Detector.parseAll(detectors)).orElseThrow());
        }
        scope.ifPresent(v -> m.exemptScope(scopeOrNone(p + "exempt-scope", v)));
        for (String path : paths) {
            try {
                MaskingPolicy.builder().path(path).build();
            } catch (IllegalArgumentException e) {
                throw new ConfigException(p + "paths", String.join(",", paths), e.getMessage());
            }
        }
        m.paths(paths);
        return Optional.of(m.build());
    }

    private static String scopeOrNone(String key, String v) {
        String s = v.trim();
        if (s.isEmpty()) {
            throw new ConfigException(key, v, "expected: a scope such as pii:read, or none");
        }
        if (s.toLowerCase(Locale.ROOT).equals("none")) {
            return null;
        }
        if (s.indexOf(' ') >= 0) {
            throw new ConfigException(key, v, "expected: one scope without spaces");
        }
        return s;
    }
}
