package io.aegis.gateway.ratelimit.internal;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.internal.Caches;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bucket4j's compare-and-swap proxy over Lettuce, optimistic: it remembers the state it last read
 * or wrote for each key, so a decision is <em>one</em> {@code EVAL} (swap if Redis still holds
 * what we remember) instead of a {@code GET} followed by an {@code EVAL}. When another replica
 * wrote in between, the script answers the current state, Bucket4j retries with it, and the
 * decision costs two round trips, never fewer guarantees: a swap only happens against the exact
 * stored bytes, so limits stay exact across replicas.
 *
 * <p>The same bucket state format and algorithm as Bucket4j's own Redis integrations. Keys
 * expire per the {@link ExpirationAfterWriteStrategy}. The remembered states are bounded
 * ({@code maxKeys}, dropped after 10 minutes unused): a forgotten state costs one extra round
 * trip. Synchronous only. Thread-safe.
 */
public final class OptimisticRedisProxyManager extends AbstractCompareAndSwapBasedProxyManager<String> {

    private static final byte[] ABSENT = new byte[0];
    private static final byte[] NO = "0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] YES = "1".getBytes(StandardCharsets.US_ASCII);

    /** ARGV: 1 whether a state is expected, 2 the expected state, 3 the new state, 4 TTL in ms (0: none). */
    private static final String SCRIPT = """
            local cur = redis.call('GET', KEYS[1])
            if (ARGV[1] == '0' and not cur) or (ARGV[1] == '1' and cur == ARGV[2]) then
              if tonumber(ARGV[4]) > 0 then
                redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
              else
                redis.call('SET', KEYS[1], ARGV[3])
              end
              return {1}
            end
            if cur then
              return {0, cur}
            end
            return {0}
            """;

    private final RedisAsyncCommands<String, byte[]> redis;
    private final ExpirationAfterWriteStrategy expiration;
    private final Cache<String, byte[]> lastSeen;

    /**
     * @param connection the shared connection
     * @param config Bucket4j client-side configuration (clock, request timeout)
     * @param expiration when keys leave Redis
     * @param maxKeys how many keys' states are remembered
     */
    public OptimisticRedisProxyManager(StatefulRedisConnection<String, byte[]> connection, ClientSideConfig config,
                                       ExpirationAfterWriteStrategy expiration, int maxKeys) {
        super(config);
        this.redis = connection.async();
        this.expiration = expiration;
        this.lastSeen = Caches.builder().maximumSize(maxKeys).expireAfterAccess(Duration.ofMinutes(10)).build();
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        return new CompareAndSwapOperation() {
            @Override
            public Optional<byte[]> getStateData(Optional<Long> timeoutNanos) {
                byte[] known = lastSeen.getIfPresent(key);
                // Unknown: assume the bucket does not exist; if it does, the swap answers its state.
                return known == null || known == ABSENT ? Optional.empty() : Optional.of(known);
            }

            @Override
            public boolean compareAndSwap(byte[] originalData, byte[] newData, RemoteBucketState newState,
                                          Optional<Long> timeoutNanos) {
                long ttl = Math.max(0, expiration.calculateTimeToLiveMillis(newState, currentTimeNanos()));
                byte[][] args = {originalData == null ? NO : YES, originalData == null ? ABSENT : originalData, newData,
                        Long.toString(ttl).getBytes(StandardCharsets.US_ASCII)};
                List<Object> out = await(redis.eval(SCRIPT, ScriptOutputType.MULTI, new String[] {key}, args), timeoutNanos);
                if (((Long) out.get(0)) == 1L) {
                    lastSeen.put(key, newData);
                    return true;
                }
                lastSeen.put(key, out.size() > 1 ? (byte[]) out.get(1) : ABSENT);
                return false;
            }
        };
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("asynchronous mode is not supported");
    }

    @Override
    public boolean isAsyncModeSupported() {
        return false;
    }

    @Override
    public boolean isExpireAfterWriteSupported() {
        return true;
    }

    @Override
    public void removeProxy(String key) {
        lastSeen.invalidate(key);
        await(redis.del(key), Optional.empty());
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        lastSeen.invalidate(key);
        return redis.del(key).toCompletableFuture().thenApply(n -> null);
    }

    private static <T> T await(RedisFuture<T> f, Optional<Long> timeoutNanos) {
        try {
            // Without a Bucket4j timeout, Lettuce's command timeout still bounds the wait.
            return timeoutNanos.isPresent() ? f.get(timeoutNanos.get(), TimeUnit.NANOSECONDS) : f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Redis command failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Redis command timed out", e);
        }
    }
}
