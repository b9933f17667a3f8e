package io.aegis.gateway.redis.internal;

import io.aegis.gateway.redis.RedisSettings;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One Lettuce client and one connection per distinct {@link RedisSettings} in the process, shared
 * by every feature that keeps state in Redis. Features {@link #acquire} a {@link Handle} and close
 * it when done; the client shuts down when the last handle is closed.
 *
 * <p>The connection is made in the background (a Redis that is down at start-up does not fail
 * start-up), reconnects by itself (Lettuce auto-reconnect, back-off 50 ms to 1 s), and rejects
 * commands at once while disconnected instead of queueing them. Availability is tracked here: a
 * feature whose command fails or times out calls {@link Handle#failed}; the first failure marks
 * Redis unavailable (one log line), then a PING every probe interval finds it back (one log line).
 * Listeners hear each change once. Thread-safe.
 */
public final class SharedRedis {

    private static final System.Logger LOG = System.getLogger(SharedRedis.class.getName());
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);
    private static final Map<RedisSettings, Shared> SHARED = new HashMap<>();

    private SharedRedis() {
    }

    /** A handle on the process's client for these settings, creating it on first use. */
    public static Handle acquire(RedisSettings settings) {
        synchronized (SHARED) {
            Shared s = SHARED.get(settings);
            if (s == null) {
                s = new Shared(settings);
                SHARED.put(settings, s);
                s.start();
            }
            s.refs++;
            return new Handle(s);
        }
    }

    /** The number of distinct clients alive in this process (for tests). */
    public static int clients() {
        synchronized (SHARED) {
            return SHARED.size();
        }
    }

    private static void release(Shared s) {
        synchronized (SHARED) {
            if (--s.refs > 0) {
                return;
            }
            SHARED.remove(s.settings);
        }
        s.shutdown();
    }

    /** A feature's lease on the shared connection. Close it exactly once. */
    public static final class Handle implements AutoCloseable {
        private final Shared shared;
        private final List<Consumer<Boolean>> mine = new CopyOnWriteArrayList<>();
        private volatile boolean closed;

        private Handle(Shared shared) {
            this.shared = shared;
        }

        public RedisSettings settings() {
            return shared.settings;
        }

        /** The connection, or {@code null} while none was ever established. */
        public StatefulRedisConnection<String, byte[]> connection() {
            return shared.connection;
        }

        /** {@code true} while Redis answers (connected and no failure since the last good probe). */
        public boolean available() {
            return shared.available;
        }

        /** Reports a failed or timed-out command: Redis counts as unavailable until a probe succeeds. */
        public void failed(Throwable cause) {
            shared.failed(cause);
        }

        /** Calls {@code listener} with {@code true}/{@code false} on each change of availability. */
        public void onStateChange(Consumer<Boolean> listener) {
            mine.add(listener);
            shared.listeners.add(listener);
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            shared.listeners.removeAll(mine);
            release(shared);
        }
    }

    private static final class Shared {
        final RedisSettings settings;
        final ClientResources resources;
        final RedisClient client;
        final ScheduledExecutorService scheduler;
        final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
        volatile StatefulRedisConnection<String, byte[]> connection;
        volatile boolean available;
        volatile boolean shutdown;
        boolean probing; // guarded by this
        String lastReason; // guarded by this
        int refs; // guarded by SHARED

        Shared(RedisSettings settings) {
            this.settings = settings;
            Duration upper = settings.probeInterval().compareTo(Duration.ofMillis(50)) > 0
                    ? settings.probeInterval() : Duration.ofMillis(50);
            this.resources = ClientResources.builder()
                    .ioThreadPoolSize(2)
                    .computationThreadPoolSize(2)
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(50), upper, 2, TimeUnit.MILLISECONDS))
                    .build();
            RedisURI uri = RedisURI.create(settings.uri());
            uri.setTimeout(settings.commandTimeout());
            this.client = RedisClient.create(resources, uri);
            client.setOptions(ClientOptions.builder()
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(settings.commandTimeout()))
                    .socketOptions(SocketOptions.builder().connectTimeout(settings.connectTimeout()).build())
                    .build());
            this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "aegis-redis-probe");
                t.setDaemon(true);
                return t;
            });
        }

        void start() {
            synchronized (this) {
                probing = true;
            }
            scheduler.execute(this::probe);
        }

        void failed(Throwable cause) {
            if (shutdown) {
                return;
            }
            boolean schedule;
            synchronized (this) {
                lastReason = reason(cause);
                if (available) {
                    available = false;
                    LOG.log(System.Logger.Level.WARNING, "Redis " + settings.safeUri() + " is unavailable ("
                            + lastReason + "); features fall back per their failure mode until it answers again");
                    notifyListeners(false);
                }
                schedule = !probing;
                probing = true;
            }
            if (schedule) {
                scheduleProbe();
            }
        }

        private void scheduleProbe() {
            try {
                scheduler.schedule(this::probe, settings.probeInterval().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // shut down meanwhile
            }
        }

        /** Connects if needed, then PINGs; on success marks Redis available, else tries again later. */
        private void probe() {
            if (shutdown) {
                return;
            }
            try {
                StatefulRedisConnection<String, byte[]> c = connection;
                if (c == null) {
                    c = client.connect(CODEC);
                    connection = c;
                }
                String pong = c.async().ping().get(Math.max(settings.commandTimeout().toMillis(), 100),
                        TimeUnit.MILLISECONDS);
                if (!"PONG".equals(pong)) {
                    throw new IllegalStateException("PING answered " + pong);
                }
                synchronized (this) {
                    probing = false;
                    if (!available) {
                        available = true;
                        LOG.log(System.Logger.Level.INFO, "Redis " + settings.safeUri() + " is available"
                                + (lastReason == null ? "" : " again"));
                        notifyListeners(true);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                synchronized (this) {
                    String r = reason(e);
                    if (lastReason == null) {
                        // Never connected yet: say so once, as a state change.
                        LOG.log(System.Logger.Level.WARNING, "Redis " + settings.safeUri() + " is unavailable ("
                                + r + "); features fall back per their failure mode until it answers");
                        notifyListeners(false);
                    }
                    lastReason = r;
                }
                scheduleProbe();
            }
        }

        private void notifyListeners(boolean up) {
            for (Consumer<Boolean> l : listeners) {
                try {
                    l.accept(up);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "Redis state listener failed", e);
                }
            }
        }

        private static String reason(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String m = root.getMessage();
            return root.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 120 ? m.substring(0, 120) : m));
        }

        void shutdown() {
            shutdown = true;
            scheduler.shutdownNow();
            // Shutting the client down closes its connection.
            client.shutdownAsync(0, 1, TimeUnit.SECONDS);
            resources.shutdown(0, 1, TimeUnit.SECONDS);
        }
    }
}
