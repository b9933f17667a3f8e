package io.aegis.gateway.ratelimit;

import io.aegis.gateway.ratelimit.internal.OptimisticRedisProxyManager;
import io.aegis.gateway.ratelimit.spi.BackendUnavailableException;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.redis.internal.SharedRedis;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in Redis, shared by every replica of a service: N replicas enforce one limit, not
 * N. Bucket4j's distributed compare-and-swap (the same algorithm and state as the local buckets
 * and as Bucket4j's Redis integrations: the state is updated in the process and written back only
 * if nobody changed it meanwhile; a lost race retries) over the process's shared Lettuce
 * connection, optimistic: the state this process last saw is remembered, so a decision is one
 * {@code EVAL} while no other replica wrote the bucket in between, two when one did.
 *
 * <p>Keys are {@code aegis:rl:<service>:<env>|<group>|<caller>} and expire once the bucket would
 * be full again (plus five seconds), so idle buckets leave Redis. When the limits for a key change,
 * the newest configuration seen by any replica wins and the bucket keeps its fraction of tokens.
 * Time is the injected clock's wall time, so replicas need synchronized clocks (NTP).
 *
 * <p>While Redis is down or slower than the command timeout (default 50 ms) the limiter either
 * fails open to its local fallback buckets (default: each replica then limits alone) or fails
 * closed ({@link BackendUnavailableException}, answered 503). The switch and the way back are
 * reported once per change, never per request, and recovery needs no restart. Thread-safe.
 */
public final class RedisRateLimiter implements RateLimiterBackend {

    private static final String PREFIX = "aegis:rl:";

    private final SharedRedis.Handle redis;
    private final FailureMode failureMode;
    private final RateLimiterBackend fallback;
    private final TimeMeter time;
    private final Clock clock;
    private final int maxKeys;
    private final ConcurrentHashMap<LimitSet, BucketConfiguration> configs = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<LimitSet, Long> versions = new ConcurrentHashMap<>();
    private volatile Proxies proxies;

    private RedisRateLimiter(Builder b) {
        this.failureMode = b.failureMode;
        this.fallback = b.fallback != null ? b.fallback : new LocalRateLimiter();
        this.clock = b.clock;
        this.maxKeys = b.maxKeys;
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.redis = SharedRedis.acquire(b.redis);
    }

    /** Starts a limiter on the Redis of these settings. */
    public static Builder builder(RedisSettings redis) {
        return new Builder(redis);
    }

    public RedisSettings redis() {
        return redis.settings();
    }

    public FailureMode failureMode() {
        return failureMode;
    }

    /** {@code true} while decisions are taken in Redis (not in the fallback). */
    public boolean available() {
        return redis.available() && redis.connection() != null;
    }

    @Override
    public RateLimitResult tryConsume(String key, LimitSet limits, int cost) {
        if (redis.available()) {
            ProxyManager<String> pm = proxies();
            if (pm != null) {
                try {
                    BucketProxy bucket = pm.builder()
                            .withImplicitConfigurationReplacement(version(limits), TokensInheritanceStrategy.PROPORTIONALLY)
                            .build(PREFIX + key, () -> configs.computeIfAbsent(limits, LocalRateLimiter::configuration));
                    VerboseResult<ConsumptionProbe> v = bucket.asVerbose().tryConsumeAndReturnRemaining(cost);
                    return LocalRateLimiter.result(limits, v.getValue(), v.getDiagnostics().getAvailableTokensPerEachBandwidth(),
                            v.getConfiguration().getBandwidths());
                } catch (RuntimeException e) {
                    redis.failed(e);
                }
            }
        }
        if (failureMode == FailureMode.FAIL_CLOSED) {
            throw new BackendUnavailableException("rate-limit store", redis.settings().probeInterval());
        }
        return fallback.tryConsume(key, limits, cost);
    }

    /**
     * The configuration version of a limit set: when this process first used it. A replica that
     * adopted newer limits carries a higher version, and Bucket4j replaces the stored configuration
     * only for a higher version, so the newest limits win and older replicas stop flip-flopping.
     */
    private long version(LimitSet limits) {
        return versions.computeIfAbsent(limits, l -> clock.millis());
    }

    private ProxyManager<String> proxies() {
        StatefulRedisConnection<String, byte[]> c = redis.connection();
        if (c == null) {
            return null;
        }
        Proxies p = proxies;
        if (p == null || p.connection != c) {
            synchronized (this) {
                p = proxies;
                if (p == null || p.connection != c) {
                    Duration timeout = redis.settings().commandTimeout();
                    ProxyManager<String> pm = new OptimisticRedisProxyManager(c,
                            ClientSideConfig.getDefault().withClientClock(time).withRequestTimeout(timeout),
                            ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(5)),
                            maxKeys);
                    p = new Proxies(c, pm);
                    proxies = p;
                }
            }
        }
        return p.manager;
    }

    @Override
    public void close() {
        redis.close();
        fallback.close();
    }

    @Override
    public String toString() {
        return "RedisRateLimiter[" + redis.settings() + ", " + failureMode + "]";
    }

    private record Proxies(StatefulRedisConnection<String, byte[]> connection, ProxyManager<String> manager) {
    }

    /** Builds a {@link RedisRateLimiter}. Not thread-safe. */
    public static final class Builder {
        private final RedisSettings redis;
        private FailureMode failureMode = FailureMode.FAIL_OPEN;
        private RateLimiterBackend fallback;
        private Clock clock = Clock.systemUTC();
        private int maxKeys = 100_000;

        private Builder(RedisSettings redis) {
            this.redis = Objects.requireNonNull(redis, "redis");
        }

        /** Fail open (default) or closed while Redis cannot decide. */
        public Builder failureMode(FailureMode mode) {
            this.failureMode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** The buckets used while failing open (default: a new {@link LocalRateLimiter}); closed with this limiter. */
        public Builder fallback(RateLimiterBackend fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        /** The wall clock bucket refills are computed with (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How many buckets' last states are remembered to save a round trip (default 100,000). */
        public Builder maxKeys(int maxKeys) {
            if (maxKeys < 1) {
                throw new IllegalArgumentException("maxKeys: " + maxKeys + " (expected: >= 1)");
            }
            this.maxKeys = maxKeys;
            return this;
        }

        /** Creates the limiter; it connects in the background and falls back until Redis answers. */
        public RedisRateLimiter build() {
            return new RedisRateLimiter(this);
        }
    }
}
