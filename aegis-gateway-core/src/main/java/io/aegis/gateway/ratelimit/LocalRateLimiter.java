package io.aegis.gateway.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.VerboseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets in this process (Bucket4j, lock-free), one per key, with a bounded memory
 * footprint: at most {@code maxBuckets} buckets, and a bucket idle for its longest window (by then
 * it would be full again anyway) is evicted.
 *
 * <p>When the limits for a key change (a configuration reload), its bucket adopts the new limits
 * keeping the fraction of tokens it had; buckets of other keys are untouched. Thread-safe.
 */
public final class LocalRateLimiter implements RateLimiterBackend {

    private static final int DEFAULT_MAX_BUCKETS = 100_000;

    private final Cache<String, Holder> buckets;
    private final TimeMeter time;
    private final ConcurrentHashMap<LimitSet, BucketConfiguration> configs = new ConcurrentHashMap<>();

    /** A limiter with up to 100,000 buckets on the system nano clock. */
    public LocalRateLimiter() {
        this(DEFAULT_MAX_BUCKETS, System::nanoTime);
    }

    /**
     * @param maxBuckets the most buckets kept; the least recently used go first
     * @param nanoTime the time source (injectable for tests)
     */
    public LocalRateLimiter(int maxBuckets, LongSupplier nanoTime) {
        if (maxBuckets < 1) {
            throw new IllegalArgumentException("max-buckets: " + maxBuckets + " (expected: >= 1)");
        }
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return nanoTime.getAsLong();
            }

            @Override
            public boolean isWallClockBased() {
                return false;
            }
        };
        this.buckets = Caches.builder()
                .maximumSize(maxBuckets)
                .ticker(nanoTime::getAsLong)
                .expireAfter(new Expiry<String, Holder>() {
                    @Override
                    public long expireAfterCreate(String key, Holder h, long now) {
                        return h.idleNanos;
                    }

                    @Override
                    public long expireAfterUpdate(String key, Holder h, long now, long current) {
                        return h.idleNanos;
                    }

                    @Override
                    public long expireAfterRead(String key, Holder h, long now, long current) {
                        return h.idleNanos;
                    }
                })
                .build();
    }

    @Override
    public RateLimitResult tryConsume(String key, LimitSet limits, int cost) {
        Holder h = buckets.get(key, k -> new Holder(limits, newBucket(limits)));
        if (h.limits != limits && !h.limits.equals(limits)) {
            synchronized (h) {
                if (!h.limits.equals(limits)) {
                    h.bucket.replaceConfiguration(config(limits), TokensInheritanceStrategy.PROPORTIONALLY);
                    h.limits = limits;
                    h.idleNanos = idleNanos(limits);
                }
            }
        }
        VerboseResult<ConsumptionProbe> v = h.bucket.asVerbose().tryConsumeAndReturnRemaining(cost);
        // Normally the bucket had exactly these limits. While another caller switches the key to other
        // limits (a reload in flight, a tier change), it may have had those: each limit's bandwidth is
        // found by its id (the window) in the configuration the tokens were actually taken from.
        return result(limits, v.getValue(), v.getDiagnostics().getAvailableTokensPerEachBandwidth(),
                v.getConfiguration().getBandwidths());
    }

    /**
     * The result of a Bucket4j consumption, per bandwidth of {@code limits} (shared with the Redis
     * backend); {@code used} are the bandwidths the tokens were taken from, matched by id.
     */
    static RateLimitResult result(LimitSet limits, ConsumptionProbe probe, long[] perBandwidth, Bandwidth[] used) {
        List<Limit> ls = limits.limits();
        int n = ls.size();
        long[] remaining = new long[n];
        long[] reset = new long[n];
        for (int i = 0; i < n; i++) {
            Limit l = ls.get(i);
            long tokens = l.count(); // a window the bucket did not have did not limit this request
            String id = Limit.formatDuration(l.window());
            for (int j = 0; j < used.length; j++) {
                if (id.equals(used[j].getId())) {
                    tokens = perBandwidth[j];
                    break;
                }
            }
            long avail = Math.max(0, Math.min(l.count(), tokens));
            remaining[i] = avail;
            long missing = l.count() - avail;
            // Greedy refill: the bucket refills count tokens per window, evenly.
            reset[i] = missing == 0 ? 0 : (long) Math.ceil((double) missing * l.window().toMillis() / l.count() / 1000.0);
        }
        long retry = probe.isConsumed() ? 0 : ceilDiv(probe.getNanosToWaitForRefill(), 1_000_000_000L);
        return new RateLimitResult(probe.isConsumed(), limits, remaining, reset, retry);
    }

    /** The number of buckets held now (approximate). */
    public long size() {
        return buckets.estimatedSize();
    }

    /** Runs pending evictions (for tests). */
    public void cleanUp() {
        buckets.cleanUp();
    }

    private Bucket newBucket(LimitSet limits) {
        BucketConfiguration c = config(limits);
        var b = Bucket.builder().withCustomTimePrecision(time);
        for (Bandwidth bw : c.getBandwidths()) {
            b.addLimit(bw);
        }
        return b.build();
    }

    private BucketConfiguration config(LimitSet limits) {
        return configs.computeIfAbsent(limits, LocalRateLimiter::configuration);
    }

    /** The Bucket4j configuration of a limit set (shared with the Redis backend). */
    static BucketConfiguration configuration(LimitSet ls) {
        List<Bandwidth> bws = new ArrayList<>();
        for (Limit l : ls.limits()) {
            bws.add(Bandwidth.builder().capacity(l.count()).refillGreedy(l.count(), l.window())
                    .id(Limit.formatDuration(l.window())).build());
        }
        return new BucketConfiguration(bws);
    }

    private static long idleNanos(LimitSet limits) {
        List<Limit> ls = limits.limits();
        return ls.get(ls.size() - 1).window().toNanos();
    }

    private static long ceilDiv(long a, long b) {
        // Not (a + b - 1) / b: a request that can never pass waits Long.MAX_VALUE, which would overflow.
        return a <= 0 ? 0 : (a - 1) / b + 1;
    }

    private static final class Holder {
        volatile LimitSet limits;
        volatile long idleNanos;
        final Bucket bucket;

        Holder(LimitSet limits, Bucket bucket) {
            this.limits = limits;
            this.bucket = bucket;
            this.idleNanos = idleNanos(limits);
        }
    }
}
