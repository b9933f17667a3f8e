package io.aegis.gateway.quota;

import io.aegis.gateway.quota.spi.QuotaStore;
import io.aegis.gateway.ratelimit.FailureMode;
import io.aegis.gateway.ratelimit.spi.BackendUnavailableException;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.redis.internal.SharedRedis;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Quota counts in Redis, shared by every replica: one {@code EVALSHA} per decision reads the
 * caller's override, checks both budgets, counts the request, sets the counters to expire when
 * their period ends, and claims the alert thresholds just crossed with {@code SET NX} markers
 * that expire with the period, so exactly one replica fires each alert.
 *
 * <p>Keys, per caller (one hash slot per caller): {@code aegis:q:{<namespace>|<caller>}:d:<day>},
 * {@code …:m:<month>}, alert markers {@code …:d:<day>:a<percent>}, the override {@code …:o}
 * ({@code daily,monthly}); the index of overrides is the set {@code aegis:q:<namespace>:overrides}.
 *
 * <p>While Redis is down or slower than its command timeout, the store fails open to an
 * {@link InMemoryQuotaStore} (per-replica counts) or fails closed
 * ({@link BackendUnavailableException}). Thread-safe.
 */
public final class RedisQuotaStore implements QuotaStore {

    private static final String SCRIPT = """
            local dl = tonumber(ARGV[1])
            local ml = tonumber(ARGV[2])
            local ov = redis.call('GET', KEYS[3])
            local overridden = 0
            if ov then
              local c = string.find(ov, ',', 1, true)
              dl = tonumber(string.sub(ov, 1, c - 1))
              ml = tonumber(string.sub(ov, c + 1))
              overridden = 1
            end
            local cost = tonumber(ARGV[3])
            local du = tonumber(redis.call('GET', KEYS[1]) or '0')
            local mu = tonumber(redis.call('GET', KEYS[2]) or '0')
            local ok = 1
            if dl > 0 and du + cost > dl then ok = 0 end
            if ml > 0 and mu + cost > ml then ok = 0 end
            if ok == 1 and cost > 0 then
              du = redis.call('INCRBY', KEYS[1], cost)
              redis.call('PEXPIREAT', KEYS[1], ARGV[4])
              mu = redis.call('INCRBY', KEYS[2], cost)
              redis.call('PEXPIREAT', KEYS[2], ARGV[5])
            end
            local out = {ok, du, mu, dl, ml, overridden}
            for i = 6, #ARGV do
              local t = tonumber(ARGV[i])
              if dl > 0 and du * 100 >= dl * t then
                local a = KEYS[1] .. ':a' .. t
                if redis.call('SET', a, '1', 'NX') then
                  redis.call('PEXPIREAT', a, ARGV[4])
                  table.insert(out, t)
                end
              end
              if ml > 0 and mu * 100 >= ml * t then
                local a = KEYS[2] .. ':a' .. t
                if redis.call('SET', a, '1', 'NX') then
                  redis.call('PEXPIREAT', a, ARGV[5])
                  table.insert(out, 1000 + t)
                end
              end
            end
            return out
            """;

    private final SharedRedis.Handle redis;
    private final String namespace;
    private final FailureMode failureMode;
    private final QuotaStore fallback;
    private volatile String sha;

    /**
     * @param redis where Redis is
     * @param namespace service and environment, e.g. {@code user-service:prod}
     * @param failureMode fail open to {@code fallback}, or closed
     * @param fallback the store used while failing open
     */
    public RedisQuotaStore(RedisSettings redis, String namespace, FailureMode failureMode, QuotaStore fallback) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.failureMode = Objects.requireNonNull(failureMode, "failureMode");
        this.fallback = Objects.requireNonNull(fallback, "fallback");
        this.redis = SharedRedis.acquire(Objects.requireNonNull(redis, "redis"));
    }

    /** {@code true} while Redis answers. */
    public boolean available() {
        return redis.available() && redis.connection() != null;
    }

    private String prefix(String caller) {
        return "aegis:q:{" + namespace + "|" + caller + "}";
    }

    @Override
    public QuotaCounts consume(String caller, QuotaLimits defaults, QuotaCalendar.Periods periods, long cost,
                               List<Integer> thresholds) {
        StatefulRedisConnection<String, byte[]> c = redis.available() ? redis.connection() : null;
        if (c != null) {
            try {
                String p = prefix(caller);
                String[] keys = {p + ":d:" + periods.day(), p + ":m:" + periods.month(), p + ":o"};
                byte[][] args = new byte[5 + thresholds.size()][];
                args[0] = bytes(defaults.daily());
                args[1] = bytes(defaults.monthly());
                args[2] = bytes(cost);
                args[3] = bytes(periods.dayEnd().toEpochMilli());
                args[4] = bytes(periods.monthEnd().toEpochMilli());
                for (int i = 0; i < thresholds.size(); i++) {
                    args[5 + i] = bytes(thresholds.get(i));
                }
                List<Object> out = eval(c.async(), keys, args);
                boolean ok = ((Long) out.get(0)) == 1L;
                QuotaLimits limits = new QuotaLimits((Long) out.get(3), (Long) out.get(4));
                List<QuotaCounts.Crossing> crossed = new ArrayList<>();
                for (int i = 6; i < out.size(); i++) {
                    long v = (Long) out.get(i);
                    crossed.add(v >= 1000 ? new QuotaCounts.Crossing(QuotaPeriod.MONTH, (int) (v - 1000))
                            : new QuotaCounts.Crossing(QuotaPeriod.DAY, (int) v));
                }
                return new QuotaCounts(ok, limits, (Long) out.get(1), (Long) out.get(2), crossed);
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                redis.failed(e);
            }
        }
        if (failureMode == FailureMode.FAIL_CLOSED) {
            throw new BackendUnavailableException("quota store", redis.settings().probeInterval());
        }
        return fallback.consume(caller, defaults, periods, cost, thresholds);
    }

    private List<Object> eval(RedisAsyncCommands<String, byte[]> cmd, String[] keys, byte[][] args) throws Exception {
        long timeout = redis.settings().commandTimeout().toMillis();
        String s = sha;
        if (s == null) {
            s = cmd.scriptLoad(SCRIPT).get(timeout, TimeUnit.MILLISECONDS);
            sha = s;
        }
        try {
            return cmd.<List<Object>>evalsha(s, ScriptOutputType.MULTI, keys, args).get(timeout, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() != null && String.valueOf(e.getCause().getMessage()).startsWith("NOSCRIPT")) {
                sha = null; // Redis restarted or was flushed: load the script again
                s = cmd.scriptLoad(SCRIPT).get(timeout, TimeUnit.MILLISECONDS);
                sha = s;
                return cmd.<List<Object>>evalsha(s, ScriptOutputType.MULTI, keys, args).get(timeout, TimeUnit.MILLISECONDS);
            }
            throw e;
        }
    }

    private static byte[] bytes(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public QuotaLimits override(String caller) {
        byte[] v = sync(c -> c.get(prefix(caller) + ":o"));
        return v == null ? null : parseOverride(new String(v, StandardCharsets.US_ASCII));
    }

    @Override
    public void setOverride(String caller, QuotaLimits limits) {
        sync(c -> {
            c.set(prefix(caller) + ":o", (limits.daily() + "," + limits.monthly()).getBytes(StandardCharsets.US_ASCII));
            return c.sadd(index(), caller.getBytes(StandardCharsets.UTF_8));
        });
    }

    @Override
    public void removeOverride(String caller) {
        sync(c -> {
            c.del(prefix(caller) + ":o");
            return c.srem(index(), caller.getBytes(StandardCharsets.UTF_8));
        });
    }

    @Override
    public Map<String, QuotaLimits> overrides() {
        Map<String, QuotaLimits> out = new TreeMap<>();
        for (byte[] m : sync(c -> c.smembers(index()))) {
            String caller = new String(m, StandardCharsets.UTF_8);
            QuotaLimits l = override(caller);
            if (l != null) {
                out.put(caller, l);
            }
        }
        return out;
    }

    private String index() {
        return "aegis:q:" + namespace + ":overrides";
    }

    private static QuotaLimits parseOverride(String v) {
        int c = v.indexOf(',');
        return new QuotaLimits(Long.parseLong(v.substring(0, c)), Long.parseLong(v.substring(c + 1)));
    }

    /** Admin operations: synchronous, with a longer timeout than the request path; they fail loudly. */
    private <T> T sync(java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, byte[]>, T> op) {
        StatefulRedisConnection<String, byte[]> c = redis.connection();
        if (c == null) {
            throw new BackendUnavailableException("quota store", redis.settings().probeInterval());
        }
        try {
            return op.apply(c.sync());
        } catch (RuntimeException e) {
            redis.failed(e);
            throw new BackendUnavailableException("quota store", redis.settings().probeInterval());
        }
    }

    @Override
    public void close() {
        redis.close();
        fallback.close();
    }
}
