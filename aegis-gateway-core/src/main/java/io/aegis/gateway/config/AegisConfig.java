package io.aegis.gateway.config;

import io.aegis.gateway.ratelimit.Limit;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Typed, validated reads of MicroProfile Config, the only place the library reads configuration.
 * Every getter names the key, the value and the rule when a value is invalid
 * ({@link ConfigException}); MicroProfile JWT keys can be given as aliases of ours.
 *
 * <p>{@link #load()} builds a fresh configuration from the default sources (system properties,
 * environment variables, {@code META-INF/microprofile-config.properties}) plus the properties
 * file named by {@code aegis.config.file}, so calling it again picks up changes: that is how a
 * reload works. Profiles ({@code %dev.}, {@code %staging.}, {@code %prod.}) are chosen with
 * {@code mp.config.profile}.
 *
 * <p>Immutable and thread-safe.
 */
public final class AegisConfig {

    /** The key naming an extra properties file, re-read on every reload. */
    public static final String CONFIG_FILE = "aegis.config.file";
    /** Ordinal of that file: above packaged defaults (100), below environment (300) and system properties (400). */
    public static final int FILE_ORDINAL = 250;

    private final Config config;

    private AegisConfig(Config config) {
        this.config = config;
    }

    /** Wraps a configuration built elsewhere. */
    public static AegisConfig of(Config config) {
        return new AegisConfig(config);
    }

    /**
     * Builds a configuration from the default sources and {@code aegis.config.file}.
     *
     * @throws ConfigException when the file named by {@code aegis.config.file} cannot be read
     */
    public static AegisConfig load() {
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        Config base = resolver.getBuilder().addDefaultSources().addDiscoveredSources()
                .addDiscoveredConverters().build();
        Optional<String> file = base.getOptionalValue(CONFIG_FILE, String.class);
        if (file.isEmpty()) {
            return new AegisConfig(base);
        }
        ConfigSource fileSource = fileSource(Path.of(file.get()));
        return new AegisConfig(resolver.getBuilder().addDefaultSources().addDiscoveredSources()
                .addDiscoveredConverters().withSources(fileSource).build());
    }

    /** A configuration from these properties alone (for tests and embedding). */
    public static AegisConfig ofMap(Map<String, String> properties) {
        return new AegisConfig(ConfigProviderResolver.instance().getBuilder()
                .withSources(new MapSource("map", properties, 500)).addDiscoveredConverters().build());
    }

    private static ConfigSource fileSource(Path path) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new ConfigException(CONFIG_FILE, path.toString(), "expected: a readable properties file; "
                    + e.getClass().getSimpleName(), e);
        }
        Map<String, String> m = new HashMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return new MapSource("file:" + path, m, FILE_ORDINAL);
    }

    /** The underlying MicroProfile configuration. */
    public Config raw() {
        return config;
    }

    /** The active profile ({@code mp.config.profile}), or {@code null}. */
    public String profile() {
        return config.getOptionalValue("mp.config.profile", String.class)
                .or(() -> config.getOptionalValue("smallrye.config.profile", String.class))
                .orElse(null);
    }

    /** The value of the first of {@code key} and its aliases that is set. */
    public Optional<String> string(String key, String... aliases) {
        Optional<String> v = config.getOptionalValue(key, String.class);
        if (v.isPresent()) {
            return v.map(String::trim);
        }
        for (String a : aliases) {
            v = config.getOptionalValue(a, String.class);
            if (v.isPresent()) {
                return v.map(String::trim);
            }
        }
        return Optional.empty();
    }

    /** The value of the first of {@code key} and its aliases that is set, else {@code defaultValue}. */
    public String stringOr(String key, String defaultValue, String... aliases) {
        return string(key, aliases).orElse(defaultValue);
    }

    /** The key of the first of {@code key} and its aliases that is set (for error messages). */
    public String setKey(String key, String... aliases) {
        if (config.getOptionalValue(key, String.class).isPresent()) {
            return key;
        }
        for (String a : aliases) {
            if (config.getOptionalValue(a, String.class).isPresent()) {
                return a;
            }
        }
        return key;
    }

    /**
     * Parses a value with {@code parser}, turning its {@link IllegalArgumentException} into a
     * {@link ConfigException} that names the key.
     */
    public <T> Optional<T> parse(String key, Function<String, T> parser, String... aliases) {
        Optional<String> v = string(key, aliases);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.apply(v.get()));
        } catch (ConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ConfigException(setKey(key, aliases), v.get(), e.getMessage() == null
                    ? "invalid value" : e.getMessage(), e);
        }
    }

    public int integer(String key, int defaultValue, int min, int max, String... aliases) {
        Optional<String> v = string(key, aliases);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(setKey(key, aliases), v.get(), "expected: a whole number " + min + ".." + max);
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException(key, v.get(), "expected: true or false");
        };
    }

    /** A duration such as {@code 30s}, {@code 5m}, {@code 250ms} or {@code PT1M}. */
    public Duration duration(String key, Duration defaultValue, String... aliases) {
        return parse(key, Limit::parseDuration, aliases).orElse(defaultValue);
    }

    /** A comma-separated list; blanks dropped. Empty when unset. */
    public List<String> list(String key, String... aliases) {
        Optional<String> v = string(key, aliases);
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String part : v.get().split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return Collections.unmodifiableList(out);
    }

    /** One of the allowed words (case-insensitive), upper-cased for {@code Enum.valueOf}. */
    public <E extends Enum<E>> E choice(String key, Class<E> type, E defaultValue) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String name = v.get().trim().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException(key, v.get(), "expected: one of " + String.join(", ", allowed));
    }

    /**
     * The distinct names directly below a prefix: for {@code aegis.routes} and keys
     * {@code aegis.routes.a.path}, {@code aegis.routes.b.path}, answers {@code [a, b]}. Prefixes of
     * the active profiles ({@code %dev.} with {@code mp.config.profile=dev}) are looked through;
     * names set only for other profiles are not children.
     */
    public Set<String> childNames(String prefix) {
        String p = prefix.endsWith(".") ? prefix : prefix + ".";
        Set<String> active = new java.util.HashSet<>();
        if (profile() != null) {
            for (String s : profile().split(",")) {
                active.add(s.trim());
            }
        }
        Set<String> out = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            String n = name;
            if (n.startsWith("%")) {
                int dot = n.indexOf('.');
                if (dot < 0 || !active.contains(n.substring(1, dot))) {
                    continue;
                }
                n = n.substring(dot + 1);
            }
            if (n.startsWith(p)) {
                String rest = n.substring(p.length());
                int dot = rest.indexOf('.');
                String child = dot < 0 ? rest : rest.substring(0, dot);
                if (!child.isEmpty()) {
                    out.add(child);
                }
            }
        }
        return out;
    }

    /** Every property name, profiles looked through. */
    public Set<String> propertyNames() {
        Set<String> out = new TreeSet<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("%")) {
                int dot = name.indexOf('.');
                if (dot > 0) {
                    out.add(name.substring(dot + 1));
                }
            } else {
                out.add(name);
            }
        }
        return out;
    }

    /** A config source over a map. */
    private static final class MapSource implements ConfigSource {
        private final String name;
        private final Map<String, String> values;
        private final int ordinal;

        MapSource(String name, Map<String, String> values, int ordinal) {
            this.name = name;
            this.values = Map.copyOf(values);
            this.ordinal = ordinal;
        }

        @Override
        public Set<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public String getValue(String propertyName) {
            return values.get(propertyName);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getOrdinal() {
            return ordinal;
        }
    }
}
