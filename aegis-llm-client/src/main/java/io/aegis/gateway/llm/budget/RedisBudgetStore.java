package io.aegis.gateway.llm.budget;

import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Budgets in Redis, shared by every replica. Reserving is one Lua script that checks every limited
 * window and then increments all of them, or none: Redis runs scripts one at a time, so concurrent
 * reservations from any number of replicas can never pass a limit together. Settling and refunding
 * add the difference to the windows the reservation named. Window keys
 * ({@code <prefix>budget:{<key>}:d:2026-11-26}) expire a day after their window ends.
 *
 * <p>Backend failures (Redis down, timeout) raise {@link LlmException} of kind {@code UNAVAILABLE};
 * the client fails closed on them unless configured to fail open. Thread-safe (one multiplexed
 * connection). Close it to release the connection.
 */
public final class RedisBudgetStore implements BudgetStore {

    private static final String RESERVE = """
            local amount = tonumber(ARGV[1])
            local n = #KEYS
            for i = 1, n do
              local limit = tonumber(ARGV[1 + i])
              local spent = tonumber(redis.call('GET', KEYS[i]) or '0')
              if spent + amount > limit then
                return {0, i, spent}
              end
            end
            for i = 1, n do
              redis.call('INCRBY', KEYS[i], amount)
              redis.call('EXPIRE', KEYS[i], tonumber(ARGV[1 + n + i]))
            end
            return {1, 0, 0}
            """;

    private static final String ADJUST = """
            local delta = tonumber(ARGV[1])
            for i = 1, #KEYS do
              if redis.call('EXISTS', KEYS[i]) == 1 then
                redis.call('INCRBY', KEYS[i], delta)
              end
            end
            return 1
            """;

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisCommands<String, String> redis;
    private final String prefix;

    private RedisBudgetStore(RedisClient client, StatefulRedisConnection<String, String> connection, String prefix) {
        this.client = client;
        this.connection = connection;
        this.redis = connection.sync();
        this.prefix = prefix;
    }

    /**
     * Connects to Redis.
     *
     * @param uri e.g. {@code redis://127.0.0.1:6379} or {@code redis://:password@host:6379/0}
     * @param keyPrefix prefix of every key, e.g. {@code aegis:llm:}
     * @param timeout the connect and command timeout
     * @throws LlmException of kind {@code UNAVAILABLE} when Redis cannot be reached
     */
    public static RedisBudgetStore connect(String uri, String keyPrefix, Duration timeout) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(timeout);
        RedisClient client = RedisClient.create(u);
        try {
            StatefulRedisConnection<String, String> c = client.connect();
            c.setTimeout(timeout);
            return new RedisBudgetStore(client, c, keyPrefix);
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new LlmException(LlmErrorKind.UNAVAILABLE, "budget store: cannot connect to Redis at "
                    + u.getHost() + ":" + u.getPort() + " (" + e.getMessage() + ")", e);
        }
    }

    private String windowKey(String key, String window) {
        return prefix + "budget:{" + key + "}:" + window;
    }

    @Override
    public Reservation reserve(String key, long amountNanos, BudgetLimits limits, Instant now) {
        Objects.requireNonNull(key, "key");
        if (amountNanos < 0) {
            throw new IllegalArgumentException("amount: " + amountNanos + " (expected: >= 0)");
        }
        List<String> windows = new ArrayList<>(2);
        List<Long> limitList = new ArrayList<>(2);
        List<Long> ttls = new ArrayList<>(2);
        if (limits.dailyNanos() >= 0) {
            windows.add(BudgetStore.dayWindow(now));
            limitList.add(limits.dailyNanos());
            ttls.add(Duration.between(now, Windows.dayEnd(now)).plusDays(1).toSeconds());
        }
        if (limits.monthlyNanos() >= 0) {
            windows.add(BudgetStore.monthWindow(now));
            limitList.add(limits.monthlyNanos());
            ttls.add(Duration.between(now, Windows.monthEnd(now)).plusDays(1).toSeconds());
        }
        if (windows.isEmpty()) {
            return new Reservation(key, amountNanos, windows);
        }
        String[] keys = windows.stream().map(w -> windowKey(key, w)).toArray(String[]::new);
        String[] args = new String[1 + 2 * windows.size()];
        args[0] = Long.toString(amountNanos);
        for (int i = 0; i < windows.size(); i++) {
            args[1 + i] = Long.toString(limitList.get(i));
            args[1 + windows.size() + i] = Long.toString(ttls.get(i));
        }
        List<Object> r;
        try {
            r = redis.eval(RESERVE, ScriptOutputType.MULTI, keys, args);
        } catch (RedisException e) {
            throw unavailable(e);
        }
        if (((Long) r.get(0)) == 1L) {
            return new Reservation(key, amountNanos, windows);
        }
        int i = ((Long) r.get(1)).intValue() - 1;
        String window = windows.get(i);
        throw new BudgetExceededException(key, window, limitList.get(i), (Long) r.get(2), amountNanos,
                Windows.untilEnd(window, now));
    }

    @Override
    public void settle(Reservation r, long actualNanos) {
        if (r.windows().isEmpty() || actualNanos == r.amountNanos()) {
            return;
        }
        String[] keys = r.windows().stream().map(w -> windowKey(r.key(), w)).toArray(String[]::new);
        try {
            redis.eval(ADJUST, ScriptOutputType.INTEGER, keys, Long.toString(actualNanos - r.amountNanos()));
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    @Override
    public long spentToday(String key, Instant now) {
        return read(windowKey(key, BudgetStore.dayWindow(now)));
    }

    @Override
    public long spentThisMonth(String key, Instant now) {
        return read(windowKey(key, BudgetStore.monthWindow(now)));
    }

    private long read(String k) {
        try {
            String v = redis.get(k);
            return v == null ? 0 : Long.parseLong(v);
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    private static LlmException unavailable(RedisException e) {
        return new LlmException(LlmErrorKind.UNAVAILABLE, "budget store: Redis failed (" + e.getMessage() + ")", e);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
