package io.aegis.gateway.config;

import io.aegis.gateway.apikey.ApiKeyFormat;
import io.aegis.gateway.apikey.ApiKeySettings;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads {@code aegis.apikeys.*} into {@link ApiKeySettings}. Every key and its default is listed in
 * {@code docs/configuration.md}; each has a builder method of the same meaning.
 */
public final class ApiKeyConfig {

    private ApiKeyConfig() {
    }

    /**
     * The API-key settings, or {@code null} when {@code aegis.apikeys.enabled} is not true.
     *
     * @throws ConfigException naming the first invalid key, its value and the rule
     */
    public static ApiKeySettings read(AegisConfig c) {
        if (!c.bool("aegis.apikeys.enabled", false)) {
            return null;
        }
        ApiKeySettings.Builder b = ApiKeySettings.builder();
        c.parse("aegis.apikeys.header", b::header);
        String env = c.stringOr("aegis.service.environment", c.profile() != null ? c.profile() : "dev");
        ApiKeyFormat.Environment keyEnv = c.parse("aegis.apikeys.environment", ApiKeyFormat.Environment::parse)
                .orElse("prod".equals(env) || "production".equals(env) ? ApiKeyFormat.Environment.LIVE : ApiKeyFormat.Environment.TEST);
        b.environment(keyEnv);
        Optional<String> pepper = c.string("aegis.apikeys.pepper");
        Optional<String> pepperFile = c.string("aegis.apikeys.pepper-file");
        if (pepper.isPresent() && pepperFile.isPresent()) {
            throw new ConfigException("aegis.apikeys.pepper-file", null,
                    "expected: one of aegis.apikeys.pepper and aegis.apikeys.pepper-file, but both are set");
        }
        if (pepper.isPresent()) {
            c.parse("aegis.apikeys.pepper", v -> b.pepper(secret(v)));
        } else if (pepperFile.isPresent()) {
            String text = PolicyConfig.read("aegis.apikeys.pepper-file", pepperFile.get()).strip();
            try {
                b.pepper(secret(text));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("aegis.apikeys.pepper-file", pepperFile.get(), e.getMessage());
            }
        }
        Optional<String> url = c.string("aegis.apikeys.jdbc.url");
        ApiKeySettings.Store store = c.choice("aegis.apikeys.store", ApiKeySettings.Store.class,
                url.isPresent() ? ApiKeySettings.Store.JDBC : ApiKeySettings.Store.MEMORY);
        if (store == ApiKeySettings.Store.JDBC) {
            String u = url.orElseThrow(() -> new ConfigException("aegis.apikeys.jdbc.url", null,
                    "expected: a JDBC URL such as jdbc:postgresql://db:5432/aegis when aegis.apikeys.store=jdbc"));
            c.parse("aegis.apikeys.jdbc.url", v -> b.jdbc(u, c.string("aegis.apikeys.jdbc.user").orElse(null),
                    c.string("aegis.apikeys.jdbc.password").orElse(null)));
            if (pepper.isEmpty() && pepperFile.isEmpty()) {
                throw new ConfigException("aegis.apikeys.pepper", null, "expected: a pepper of at least 32 random bytes "
                        + "(or aegis.apikeys.pepper-file) for the jdbc store: hashes must outlive the process");
            }
        }
        c.parse("aegis.apikeys.jdbc.schema", b::jdbcSchema);
        apply(c, "aegis.apikeys.jdbc.timeout", d -> b.jdbcTimeout(d));
        b.migrate(c.bool("aegis.apikeys.jdbc.migrate", false));
        apply(c, "aegis.apikeys.cache.ttl", b::cacheTtl);
        b.cacheMaxEntries(c.integer("aegis.apikeys.cache.max-entries", 10_000, 0, 10_000_000));
        apply(c, "aegis.apikeys.cache.negative-ttl", b::negativeCacheTtl);
        apply(c, "aegis.apikeys.rotation.grace", b::rotationGrace);
        apply(c, "aegis.apikeys.rotation.max-grace", b::maxRotationGrace);
        apply(c, "aegis.apikeys.default-lifetime", b::defaultLifetime);
        int maxFailures = c.integer("aegis.apikeys.abuse.max-failures", 20, 0, 1_000_000);
        Duration window = c.duration("aegis.apikeys.abuse.window", Duration.ofMinutes(1));
        Duration block = c.duration("aegis.apikeys.abuse.block-for", Duration.ofMinutes(5));
        try {
            b.abuse(maxFailures, window, block);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("aegis.apikeys.abuse", null, e.getMessage());
        }
        b.usageEnabled(c.bool("aegis.apikeys.usage.enabled", true));
        apply(c, "aegis.apikeys.usage.flush-interval", b::usageFlushInterval);
        b.usageMaxPending(c.integer("aegis.apikeys.usage.max-pending", 100_000, 1, 10_000_000));
        c.parse("aegis.apikeys.redis.uri", v -> b.redis(URI.create(v)));
        c.parse("aegis.apikeys.redis.channel", b::redisChannel);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("aegis.apikeys", null, e.getMessage());
        }
    }

    private static void apply(AegisConfig c, String key, java.util.function.Consumer<Duration> setter) {
        Duration d = c.duration(key, null);
        if (d == null) {
            return;
        }
        try {
            setter.accept(d);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, c.string(key).orElse(""), e.getMessage(), e);
        }
    }

    /** Text as UTF-8, or {@code base64:…}. */
    static byte[] secret(String v) {
        if (v.startsWith("base64:")) {
            return Base64.getDecoder().decode(v.substring(7).trim());
        }
        return v.getBytes(StandardCharsets.UTF_8);
    }
}
