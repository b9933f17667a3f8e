package io.aegis.gateway.ratelimit.internal;

import io.aegis.gateway.ratelimit.EmergencyMode;
import io.aegis.gateway.redis.RedisSettings;
import io.aegis.gateway.redis.internal.SharedRedis;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shares one service's {@link EmergencyMode} among its replicas through one Redis key,
 * {@code aegis:<service>:<environment>:emergency}. A change an operator or threat detection makes
 * on a replica is written there (with a new id; an emergency with a hold expires with it, a left
 * state after a day); every replica reads the key every {@code interval} and applies a state whose
 * id it has not seen. The last write wins, and every replica converges on it. At start a replica
 * takes an emergency that is already on.
 *
 * <p>Writes and reads run on one daemon thread, so no request or admin thread waits for Redis.
 * When Redis cannot be reached the replica keeps its own state and logs once per outage; a change
 * made here meanwhile is written when Redis answers again (and then wins over what others wrote).
 */
public final class RedisEmergencySharing implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisEmergencySharing.class.getName());
    private static final String VERSION = "v1";
    private static final Duration LEFT_TTL = Duration.ofDays(1);

    private final EmergencyMode emergency;
    private final SharedRedis.Handle redis;
    private final String key;
    private final Clock clock;
    private final ScheduledExecutorService thread;
    private final AtomicLong failures = new AtomicLong();
    private volatile String seen;
    private volatile EmergencyMode.State pending;

    /**
     * @param namespace {@code <service>:<environment>}
     * @param interval how often the key is read
     */
    public RedisEmergencySharing(EmergencyMode emergency, RedisSettings settings, String namespace, Duration interval,
                                 Clock clock) {
        this.emergency = emergency;
        this.redis = SharedRedis.acquire(settings);
        this.key = "aegis:" + namespace + ":emergency";
        this.clock = clock;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aegis-emergency-sharing");
            t.setDaemon(true);
            return t;
        });
        emergency.shareWith(s -> thread.execute(() -> write(s)));
        long every = interval.toMillis();
        thread.scheduleWithFixedDelay(this::read, 0, every, TimeUnit.MILLISECONDS);
    }

    /** Queues a local change; it is written now, or at the next tick while Redis does not answer. */
    private void write(EmergencyMode.State s) {
        pending = s;
        flush();
    }

    /** Writes the pending local change, if any; {@code true} when nothing is left pending. */
    private boolean flush() {
        EmergencyMode.State s = pending;
        if (s == null) {
            return true;
        }
        StatefulRedisConnection<String, byte[]> c = redis.connection();
        try {
            if (c == null) {
                throw new IllegalStateException("not connected");
            }
            Duration ttl = !s.active() ? LEFT_TTL : s.until() == null ? null : Duration.between(clock.instant(), s.until());
            if (ttl == null || !ttl.isZero() && !ttl.isNegative()) { // a hold that is over ends everywhere by itself
                String id = UUID.randomUUID().toString();
                byte[] value = encode(id, s).getBytes(StandardCharsets.UTF_8);
                if (ttl == null) {
                    c.sync().set(key, value);
                } else {
                    c.sync().set(key, value, SetArgs.Builder.px(ttl.toMillis()));
                }
                seen = id;
            }
            if (pending == s) {
                pending = null;
            }
            recovered();
            return pending == null;
        } catch (RuntimeException e) {
            failed("could not share the emergency state", e);
            return false;
        }
    }

    private void read() {
        if (!flush()) {
            return; // a local change waits to be shared: it goes first, and wins
        }
        StatefulRedisConnection<String, byte[]> c = redis.connection();
        if (c == null) {
            return;
        }
        try {
            byte[] raw = c.sync().get(key);
            recovered();
            if (raw == null) {
                return;
            }
            String v = new String(raw, StandardCharsets.UTF_8);
            String id = id(v);
            if (id == null || id.equals(seen)) {
                return;
            }
            seen = id;
            EmergencyMode.State s = decode(v);
            if (s == null) {
                LOG.log(System.Logger.Level.WARNING, "ignored a damaged emergency state under " + key);
                return;
            }
            emergency.applyShared(s);
        } catch (RuntimeException e) {
            failed("could not read the shared emergency state", e);
        }
    }

    private void failed(String what, RuntimeException e) {
        if (failures.getAndIncrement() == 0) {
            LOG.log(System.Logger.Level.WARNING, what + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); this replica keeps its own emergency state until Redis answers");
        }
    }

    private void recovered() {
        if (failures.getAndSet(0) > 0) {
            LOG.log(System.Logger.Level.INFO, "emergency state sharing through Redis works again");
        }
    }

    /** {@code v1|id|active|factor|refuse|since|until|actor|reason}, actor and reason URL-encoded. */
    static String encode(String id, EmergencyMode.State s) {
        return VERSION + '|' + id + '|' + (s.active() ? 1 : 0) + '|' + s.factor() + '|' + (s.refuseAnonymous() ? 1 : 0)
                + '|' + (s.since() == null ? -1 : s.since().toEpochMilli()) + '|' + (s.until() == null ? -1 : s.until().toEpochMilli())
                + '|' + text(s.actor()) + '|' + text(s.reason());
    }

    static String id(String v) {
        String[] p = v.split("\\|", -1);
        return p.length == 9 && p[0].equals(VERSION) ? p[1] : null;
    }

    /** The state of a shared value, or {@code null} when it is not one. */
    static EmergencyMode.State decode(String v) {
        String[] p = v.split("\\|", -1);
        if (p.length != 9 || !p[0].equals(VERSION)) {
            return null;
        }
        try {
            boolean active = p[2].equals("1");
            double factor = Double.parseDouble(p[3]);
            if (active && !(factor > 0 && factor <= 1)) {
                return null;
            }
            long since = Long.parseLong(p[5]);
            long until = Long.parseLong(p[6]);
            return new EmergencyMode.State(active, active ? factor : 1.0, active && p[4].equals("1"),
                    URLDecoder.decode(p[8], StandardCharsets.UTF_8), URLDecoder.decode(p[7], StandardCharsets.UTF_8),
                    since < 0 ? null : Instant.ofEpochMilli(since), until < 0 ? null : Instant.ofEpochMilli(until));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        emergency.shareWith(null);
        thread.shutdownNow();
        try {
            thread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        redis.close();
    }
}
