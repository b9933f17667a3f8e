package io.aegis.gateway.apikey;

import io.aegis.gateway.apikey.internal.AbuseGuard;
import io.aegis.gateway.apikey.internal.KeyCache;
import io.aegis.gateway.apikey.internal.RedisInvalidationChannel;
import io.aegis.gateway.apikey.internal.UsageTracker;
import io.aegis.gateway.apikey.spi.ApiKeyStore;
import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.apikey.spi.InvalidationChannel;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The API-key feature of one service, assembled: the store, the hasher, the lookup cache, the
 * authenticator, usage accounting, the administration service and the revocation broadcast.
 * {@code AegisGateway} builds one from {@code aegis.apikeys.*}; applications may build their own
 * and hand it to the gateway builder.
 *
 * <pre>{@code
 * ApiKeys keys = ApiKeys.builder(ApiKeySettings.builder().environment(LIVE).pepper(pepper).build())
 *         .dataSource(pooledDataSource)          // PostgreSQL; omit for the in-memory store
 *         .build();
 * keys.store();                                  // JdbcApiKeyStore: migrate() once, or set migrate(true)
 * AegisGateway gateway = AegisGateway.builder().config(AegisConfig::load).apiKeys(keys).build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #close()} flushes pending usage and releases the store and Redis.
 */
public final class ApiKeys implements AutoCloseable {

    /** Event type: a client address was blocked for presenting too many failed keys (the ban-list hook). */
    public static final String ABUSE_EVENT = "auth.api_key_abuse";

    private static final System.Logger LOG = System.getLogger(ApiKeys.class.getName());

    private final ApiKeySettings settings;
    private final ApiKeyStore store;
    private final boolean ownsStore;
    private final ApiKeyHasher hasher;
    private final KeyCache<Principal> cache;
    private final AbuseGuard abuse;
    private final UsageTracker usage;
    private final ApiKeyAuthenticator authenticator;
    private final ApiKeyService service;
    private final InvalidationChannel channel;
    private final ScheduledExecutorService flusher;

    private ApiKeys(Builder b) {
        this.settings = b.settings;
        byte[] pepper = settings.pepper();
        if (pepper == null) {
            if (b.store instanceof InMemoryApiKeyStore
                    || b.store == null && b.dataSource == null && settings.store() == ApiKeySettings.Store.MEMORY) {
                pepper = new byte[32];
                new SecureRandom().nextBytes(pepper);
                LOG.log(System.Logger.Level.INFO, "no API-key pepper configured: using a random one (keys of the "
                        + "in-memory store do not outlive the process anyway)");
            } else {
                throw new IllegalArgumentException("pepper: none (expected: aegis.apikeys.pepper or pepper-file with at least "
                        + ApiKeyHasher.MIN_PEPPER_BYTES + " random bytes for a persistent store)");
            }
        }
        this.hasher = new ApiKeyHasher(pepper);
        java.util.Arrays.fill(pepper, (byte) 0);
        this.ownsStore = b.store == null;
        this.store = b.store != null ? b.store : newStore(b);
        if (store instanceof JdbcApiKeyStore jdbc) {
            prepare(jdbc);
        }
        Meter meter = b.openTelemetry.getMeter("io.aegis.gateway");
        LongCounter outcomes = meter.counterBuilder("aegis.auth.api_key.authentications")
                .setDescription("API-key authentications, by outcome").setUnit("{authentication}").build();
        LongCounter droppedUsage = meter.counterBuilder("aegis.auth.api_key.usage.dropped")
                .setDescription("Requests with API keys not counted because too many usage rows were pending")
                .setUnit("{request}").build();
        this.cache = new KeyCache<>(settings.cacheTtl(), settings.cacheMaxEntries(), settings.negativeCacheTtl(), b.clock);
        GatewayEvents events = b.events;
        this.abuse = new AbuseGuard(settings.abuseMaxFailures(), settings.abuseWindow(), settings.abuseBlockFor(), b.clock,
                blocked -> {
                    LOG.log(System.Logger.Level.WARNING, "client " + blocked.client() + " presented " + blocked.failures()
                            + " failed API keys within " + blocked.window() + "; its API-key requests are refused until "
                            + Instant.ofEpochMilli(blocked.blockedUntilMillis()));
                    events.publish(GatewayEvent.of(ABUSE_EVENT, "client", blocked.client(), "failures", blocked.failures(),
                            "window_seconds", blocked.window().toSeconds(),
                            "blocked_until", Instant.ofEpochMilli(blocked.blockedUntilMillis()).toString(),
                            "blocked_seconds", settings.abuseBlockFor().toSeconds()));
                });
        this.usage = settings.usageEnabled()
                ? new UsageTracker(store, b.clock, settings.usageMaxPending(), settings.usageFlushInterval(), droppedUsage::add)
                : null;
        this.channel = b.channel != null ? b.channel
                : settings.redisUri() != null
                ? new RedisInvalidationChannel(settings.redisUri(), settings.redisChannel(), Duration.ofSeconds(2))
                : null;
        if (channel != null) {
            channel.subscribe(this::onInvalidation);
        }
        this.authenticator = new ApiKeyAuthenticator(settings, store, hasher, cache, abuse, b.clock, b.realm, outcomes);
        this.service = new ApiKeyService(settings, store, hasher, b.clock, events, this::invalidate, usage);
        if (usage != null) {
            flusher = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aegis-apikey-usage");
                t.setDaemon(true);
                return t;
            });
            long ms = settings.usageFlushInterval().toMillis();
            flusher.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
        } else {
            flusher = null;
        }
    }

    private static ApiKeyStore newStore(Builder b) {
        ApiKeySettings s = b.settings;
        if (b.dataSource != null) {
            return new JdbcApiKeyStore(b.dataSource, s.jdbcSchema(), s.jdbcTimeout());
        }
        if (s.store() == ApiKeySettings.Store.JDBC) {
            return new JdbcApiKeyStore(new DriverManagerDataSource(s.jdbcUrl(), s.jdbcUser(), s.jdbcPassword(), s.jdbcTimeout()),
                    s.jdbcSchema(), s.jdbcTimeout());
        }
        return new InMemoryApiKeyStore();
    }

    private void prepare(JdbcApiKeyStore jdbc) {
        if (settings.migrate()) {
            List<Integer> applied = jdbc.migrate();
            LOG.log(System.Logger.Level.INFO, "API-key schema " + (applied.isEmpty() ? "is up to date"
                    : "migrated: versions " + applied) + " (" + jdbc + ")");
        }
        int version;
        try {
            version = jdbc.schemaVersion();
        } catch (ApiKeyStoreException e) {
            LOG.log(System.Logger.Level.WARNING, "the API-key store does not answer at start-up; API-key requests get 503 "
                    + "until it does: " + e.getMessage());
            return;
        }
        if (version < jdbc.requiredSchemaVersion()) {
            throw new IllegalStateException("the API-key schema in " + jdbc + " is at version " + version + " (expected: "
                    + jdbc.requiredSchemaVersion() + "): call JdbcApiKeyStore.migrate() or set aegis.apikeys.jdbc.migrate=true");
        }
        jdbc.verifyPepper(hasher.pepperFingerprint());
    }

    /** Starts assembling API keys with these settings. */
    public static Builder builder(ApiKeySettings settings) {
        return new Builder(settings);
    }

    public ApiKeySettings settings() {
        return settings;
    }

    /** The authenticator for the {@code API_KEY} scheme. */
    public ApiKeyAuthenticator authenticator() {
        return authenticator;
    }

    /** The policy that counts usage per key (to add to the pipeline), or {@code null} when usage is off. */
    public GatewayPolicy usagePolicy() {
        return usage;
    }

    /** Administration: create, list, rotate, revoke, usage, audit. */
    public ApiKeyService service() {
        return service;
    }

    /** The store (a {@link JdbcApiKeyStore} offers {@code migrate()}). */
    public ApiKeyStore store() {
        return store;
    }

    /** Writes the usage counted so far to the store now; answers the rows written. */
    public int flushUsage() {
        return usage == null ? 0 : usage.flush();
    }

    /** Requests whose usage could not be counted (memory bound reached). */
    public long droppedUsage() {
        return usage == null ? 0 : usage.dropped();
    }

    /** Forgets the failed-key count and block of a client address. */
    public void unblock(String clientAddress) {
        abuse.reset(clientAddress);
    }

    /** {@code true} when the store answers. */
    public boolean healthy() {
        return store.healthy();
    }

    private void flushQuietly() {
        try {
            usage.flush();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "API-key usage flush failed", e);
        }
    }

    /** Drops a key (message {@code key:<id>}) or every remembered unknown key ({@code new}) here and on other replicas. */
    private void invalidate(String message) {
        onInvalidation(message);
        if (channel != null) {
            channel.publish(message);
        }
    }

    private void onInvalidation(String message) {
        if (message.startsWith("key:")) {
            cache.invalidateId(message.substring(4));
        } else if (message.equals("new")) {
            cache.invalidateUnknown();
        } else if (message.equals("all")) {
            cache.invalidateAll();
        }
    }

    @Override
    public void close() {
        if (flusher != null) {
            flusher.shutdownNow();
            flushQuietly();
        }
        if (channel != null) {
            channel.close();
        }
        if (ownsStore) {
            store.close();
        }
    }

    @Override
    public String toString() {
        return "ApiKeys[" + settings + ", " + store + "]";
    }

    /** Builds {@link ApiKeys}. Not thread-safe. */
    public static final class Builder {
        private final ApiKeySettings settings;
        private ApiKeyStore store;
        private DataSource dataSource;
        private InvalidationChannel channel;
        private String realm = "aegis";
        private Clock clock = Clock.systemUTC();
        private GatewayEvents events = GatewayEvents.none();
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();

        private Builder(ApiKeySettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** A store of your own (not closed by {@link ApiKeys#close()}); replaces the one the settings name. */
        public Builder store(ApiKeyStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** A JDBC store over this (pooled) data source, in the settings' schema. */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /** A broadcast of your own (e.g. over a shared Redis client); replaces the settings' Redis. */
        public Builder invalidationChannel(InvalidationChannel channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
            return this;
        }

        /** The realm of challenges (the gateway sets the service name). */
        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
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

        /**
         * @throws IllegalArgumentException when a persistent store has no pepper
         * @throws IllegalStateException when the JDBC schema is older than this library needs, or the
         *     pepper is not the one the store's keys were made with
         * @throws ApiKeyStoreException when a requested migration fails
         */
        public ApiKeys build() {
            return new ApiKeys(this);
        }
    }
}
