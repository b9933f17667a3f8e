package io.aegis.gateway.apikey;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * How API keys are accepted, stored, cached and accounted.
 *
 * <p>Defaults: header {@code X-API-Key}; key environment {@code test}; in-memory store with a
 * pepper made at start-up when none is configured (a JDBC store requires one); lookups cached for
 * 5 s (the bound on how long a revoked key keeps working on another replica when no Redis
 * broadcast is configured), up to 10,000 keys, unknown keys remembered for 5 s; rotation grace
 * 24 h (at most 30 days); no expiry unless given; 20 failed keys from one client address within
 * 1 min block that address's API-key requests for 5 min; usage flushed every 10 s, at most 100,000
 * pending rows; JDBC statements time out after 2 s; no schema migration unless asked for.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class ApiKeySettings {

    /** Where keys are kept. */
    public enum Store {
        /** In the process (lost on restart; each replica has its own keys). */
        MEMORY,
        /** In PostgreSQL through JDBC. */
        JDBC
    }

    private final String header;
    private final ApiKeyFormat.Environment environment;
    private final byte[] pepper;
    private final Store store;
    private final String jdbcUrl;
    private final String jdbcUser;
    private final String jdbcPassword;
    private final String jdbcSchema;
    private final Duration jdbcTimeout;
    private final boolean migrate;
    private final Duration cacheTtl;
    private final int cacheMaxEntries;
    private final Duration negativeCacheTtl;
    private final Duration rotationGrace;
    private final Duration maxRotationGrace;
    private final Duration defaultLifetime;
    private final int abuseMaxFailures;
    private final Duration abuseWindow;
    private final Duration abuseBlockFor;
    private final boolean usageEnabled;
    private final Duration usageFlushInterval;
    private final int usageMaxPending;
    private final URI redisUri;
    private final String redisChannel;

    private ApiKeySettings(Builder b) {
        this.header = b.header;
        this.environment = b.environment;
        this.pepper = b.pepper == null ? null : b.pepper.clone();
        this.store = b.store;
        this.jdbcUrl = b.jdbcUrl;
        this.jdbcUser = b.jdbcUser;
        this.jdbcPassword = b.jdbcPassword;
        this.jdbcSchema = b.jdbcSchema;
        this.jdbcTimeout = b.jdbcTimeout;
        this.migrate = b.migrate;
        this.cacheTtl = b.cacheTtl;
        this.cacheMaxEntries = b.cacheMaxEntries;
        this.negativeCacheTtl = b.negativeCacheTtl;
        this.rotationGrace = b.rotationGrace;
        this.maxRotationGrace = b.maxRotationGrace;
        this.defaultLifetime = b.defaultLifetime;
        this.abuseMaxFailures = b.abuseMaxFailures;
        this.abuseWindow = b.abuseWindow;
        this.abuseBlockFor = b.abuseBlockFor;
        this.usageEnabled = b.usageEnabled;
        this.usageFlushInterval = b.usageFlushInterval;
        this.usageMaxPending = b.usageMaxPending;
        this.redisUri = b.redisUri;
        this.redisChannel = b.redisChannel;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The request header carrying the key. */
    public String header() {
        return header;
    }

    /** The environment of keys this gateway issues and accepts. */
    public ApiKeyFormat.Environment environment() {
        return environment;
    }

    /** A copy of the pepper, or {@code null} when none is configured (one is made at start-up). */
    public byte[] pepper() {
        return pepper == null ? null : pepper.clone();
    }

    public Store store() {
        return store;
    }

    /** The JDBC URL of the store, or {@code null}. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String jdbcUser() {
        return jdbcUser;
    }

    public String jdbcPassword() {
        return jdbcPassword;
    }

    /** The database schema holding the tables, or {@code null} for the connection's default. */
    public String jdbcSchema() {
        return jdbcSchema;
    }

    /** The timeout of each JDBC statement. */
    public Duration jdbcTimeout() {
        return jdbcTimeout;
    }

    /** {@code true} when the schema is migrated when the store starts. */
    public boolean migrate() {
        return migrate;
    }

    /** How long a looked-up key is trusted without asking the store again. */
    public Duration cacheTtl() {
        return cacheTtl;
    }

    public int cacheMaxEntries() {
        return cacheMaxEntries;
    }

    /** How long an unknown key is remembered as unknown. */
    public Duration negativeCacheTtl() {
        return negativeCacheTtl;
    }

    /** The grace period of a rotation that names none. */
    public Duration rotationGrace() {
        return rotationGrace;
    }

    /** The longest grace period a rotation may ask for. */
    public Duration maxRotationGrace() {
        return maxRotationGrace;
    }

    /** The lifetime of keys created without an expiry, or {@code null} for none. */
    public Duration defaultLifetime() {
        return defaultLifetime;
    }

    /** Failed keys from one client address within {@link #abuseWindow()} that cause a block. */
    public int abuseMaxFailures() {
        return abuseMaxFailures;
    }

    public Duration abuseWindow() {
        return abuseWindow;
    }

    /** How long a client address's API-key requests are refused once blocked. */
    public Duration abuseBlockFor() {
        return abuseBlockFor;
    }

    public boolean usageEnabled() {
        return usageEnabled;
    }

    /** How often usage counted in memory is written to the store (the bound on what a crash loses). */
    public Duration usageFlushInterval() {
        return usageFlushInterval;
    }

    /** Usage rows kept in memory at most between flushes; beyond, new rows are dropped and counted. */
    public int usageMaxPending() {
        return usageMaxPending;
    }

    /** The Redis server for revocation broadcast, or {@code null} for none (the cache TTL alone bounds revocation). */
    public URI redisUri() {
        return redisUri;
    }

    /** The Redis pub/sub channel. */
    public String redisChannel() {
        return redisChannel;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiKeySettings s && s.header.equals(header) && s.environment == environment
                && Arrays.equals(s.pepper, pepper) && s.store == store && Objects.equals(s.jdbcUrl, jdbcUrl)
                && Objects.equals(s.jdbcUser, jdbcUser) && Objects.equals(s.jdbcPassword, jdbcPassword)
                && Objects.equals(s.jdbcSchema, jdbcSchema) && s.jdbcTimeout.equals(jdbcTimeout) && s.migrate == migrate
                && s.cacheTtl.equals(cacheTtl) && s.cacheMaxEntries == cacheMaxEntries
                && s.negativeCacheTtl.equals(negativeCacheTtl) && s.rotationGrace.equals(rotationGrace)
                && s.maxRotationGrace.equals(maxRotationGrace) && Objects.equals(s.defaultLifetime, defaultLifetime)
                && s.abuseMaxFailures == abuseMaxFailures && s.abuseWindow.equals(abuseWindow)
                && s.abuseBlockFor.equals(abuseBlockFor) && s.usageEnabled == usageEnabled
                && s.usageFlushInterval.equals(usageFlushInterval) && s.usageMaxPending == usageMaxPending
                && Objects.equals(s.redisUri, redisUri) && s.redisChannel.equals(redisChannel);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, environment, store, jdbcUrl, cacheTtl);
    }

    @Override
    public String toString() {
        return "ApiKeySettings[" + environment.id() + " keys in " + header + ", store " + store.name().toLowerCase(java.util.Locale.ROOT)
                + (jdbcUrl == null ? "" : " " + jdbcUrl.replaceAll("password=[^&;]*", "password=****"))
                + ", cache " + cacheTtl + (redisUri == null ? "" : ", redis broadcast") + "]";
    }

    /** Builds {@link ApiKeySettings}. Not thread-safe. */
    public static final class Builder {
        private String header = "X-API-Key";
        private ApiKeyFormat.Environment environment = ApiKeyFormat.Environment.TEST;
        private byte[] pepper;
        private Store store = Store.MEMORY;
        private String jdbcUrl;
        private String jdbcUser;
        private String jdbcPassword;
        private String jdbcSchema;
        private Duration jdbcTimeout = Duration.ofSeconds(2);
        private boolean migrate;
        private Duration cacheTtl = Duration.ofSeconds(5);
        private int cacheMaxEntries = 10_000;
        private Duration negativeCacheTtl = Duration.ofSeconds(5);
        private Duration rotationGrace = Duration.ofHours(24);
        private Duration maxRotationGrace = Duration.ofDays(30);
        private Duration defaultLifetime;
        private int abuseMaxFailures = 20;
        private Duration abuseWindow = Duration.ofMinutes(1);
        private Duration abuseBlockFor = Duration.ofMinutes(5);
        private boolean usageEnabled = true;
        private Duration usageFlushInterval = Duration.ofSeconds(10);
        private int usageMaxPending = 100_000;
        private URI redisUri;
        private String redisChannel = "aegis:api-keys";

        private Builder() {
        }

        /** The header carrying the key (a token: letters, digits, {@code -}). */
        public Builder header(String header) {
            if (header == null || !header.matches("[A-Za-z0-9-]{1,64}")) {
                throw new IllegalArgumentException("header: " + header + " (expected: a header name of letters, digits and '-')");
            }
            this.header = header;
            return this;
        }

        public Builder environment(ApiKeyFormat.Environment environment) {
            this.environment = Objects.requireNonNull(environment, "environment");
            return this;
        }

        /**
         * The HMAC pepper, at least {@value ApiKeyHasher#MIN_PEPPER_BYTES} bytes ({@code null}: one
         * is made at start-up, which only suits the in-memory store).
         */
        public Builder pepper(byte[] pepper) {
            if (pepper != null && pepper.length < ApiKeyHasher.MIN_PEPPER_BYTES) {
                throw new IllegalArgumentException("pepper: " + pepper.length + " bytes (expected: at least "
                        + ApiKeyHasher.MIN_PEPPER_BYTES + " random bytes)");
            }
            this.pepper = pepper == null ? null : pepper.clone();
            return this;
        }

        public Builder store(Store store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** A JDBC store at this URL (sets the store to {@link Store#JDBC}). */
        public Builder jdbc(String url, String user, String password) {
            if (url == null || !url.startsWith("jdbc:")) {
                throw new IllegalArgumentException("jdbc url: " + url + " (expected: jdbc:postgresql://host:port/database)");
            }
            this.jdbcUrl = url;
            this.jdbcUser = user;
            this.jdbcPassword = password;
            this.store = Store.JDBC;
            return this;
        }

        /** The schema of the tables (lower-case letters, digits, {@code _}), or {@code null}. */
        public Builder jdbcSchema(String schema) {
            if (schema != null && !schema.matches("[a-z_][a-z0-9_]{0,62}")) {
                throw new IllegalArgumentException("schema: " + schema + " (expected: lower-case letters, digits and '_')");
            }
            this.jdbcSchema = schema;
            return this;
        }

        public Builder jdbcTimeout(Duration timeout) {
            this.jdbcTimeout = between("jdbc timeout", timeout, Duration.ofSeconds(1), Duration.ofMinutes(1));
            return this;
        }

        /** Migrate the schema when the JDBC store starts (default: no; call {@code migrate()} yourself). */
        public Builder migrate(boolean migrate) {
            this.migrate = migrate;
            return this;
        }

        /** How long a key is trusted without asking the store (0 to 5 min; the revocation bound). */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = between("cache ttl", ttl, Duration.ZERO, Duration.ofMinutes(5));
            return this;
        }

        public Builder cacheMaxEntries(int n) {
            if (n < 0 || n > 10_000_000) {
                throw new IllegalArgumentException("cache max entries: " + n + " (expected: 0..10000000)");
            }
            this.cacheMaxEntries = n;
            return this;
        }

        public Builder negativeCacheTtl(Duration ttl) {
            this.negativeCacheTtl = between("negative cache ttl", ttl, Duration.ZERO, Duration.ofMinutes(5));
            return this;
        }

        public Builder rotationGrace(Duration grace) {
            this.rotationGrace = between("rotation grace", grace, Duration.ZERO, Duration.ofDays(365));
            return this;
        }

        public Builder maxRotationGrace(Duration grace) {
            this.maxRotationGrace = between("max rotation grace", grace, Duration.ZERO, Duration.ofDays(365));
            return this;
        }

        /** The lifetime of keys created without an expiry ({@code null}: they do not expire). */
        public Builder defaultLifetime(Duration lifetime) {
            this.defaultLifetime = lifetime == null ? null
                    : between("default lifetime", lifetime, Duration.ofMinutes(1), Duration.ofDays(3650));
            return this;
        }

        /** Failed keys per client address within the window that block it (0 turns blocking off). */
        public Builder abuse(int maxFailures, Duration window, Duration blockFor) {
            if (maxFailures < 0 || maxFailures > 1_000_000) {
                throw new IllegalArgumentException("max failures: " + maxFailures + " (expected: 0..1000000)");
            }
            this.abuseMaxFailures = maxFailures;
            this.abuseWindow = between("abuse window", window, Duration.ofSeconds(1), Duration.ofDays(1));
            this.abuseBlockFor = between("abuse block", blockFor, Duration.ofSeconds(1), Duration.ofDays(7));
            return this;
        }

        public Builder usageEnabled(boolean enabled) {
            this.usageEnabled = enabled;
            return this;
        }

        /** How often usage is flushed (100 ms to 10 min). */
        public Builder usageFlushInterval(Duration interval) {
            this.usageFlushInterval = between("usage flush interval", interval, Duration.ofMillis(100), Duration.ofMinutes(10));
            return this;
        }

        public Builder usageMaxPending(int n) {
            if (n < 1 || n > 10_000_000) {
                throw new IllegalArgumentException("usage max pending: " + n + " (expected: 1..10000000)");
            }
            this.usageMaxPending = n;
            return this;
        }

        /** Broadcast revocations through this Redis ({@code redis://host:port}), or {@code null} for none. */
        public Builder redis(URI uri) {
            if (uri != null && !("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))) {
                throw new IllegalArgumentException("redis uri: " + uri + " (expected: redis://host:port or rediss://...)");
            }
            this.redisUri = uri;
            return this;
        }

        public Builder redisChannel(String channel) {
            if (channel == null || channel.isBlank() || channel.length() > 200) {
                throw new IllegalArgumentException("redis channel: " + channel + " (expected: 1..200 characters)");
            }
            this.redisChannel = channel;
            return this;
        }

        /**
         * @throws IllegalArgumentException when a JDBC store has no URL
         */
        public ApiKeySettings build() {
            if (store == Store.JDBC && jdbcUrl == null) {
                throw new IllegalArgumentException("store: jdbc (expected: a JDBC URL)");
            }
            return new ApiKeySettings(this);
        }

        private static Duration between(String what, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, what);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(what + ": " + d + " (expected: " + min + ".." + max + ")");
            }
            return d;
        }
    }
}
