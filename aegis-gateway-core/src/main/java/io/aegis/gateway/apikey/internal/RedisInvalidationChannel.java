package io.aegis.gateway.apikey.internal;

import io.aegis.gateway.apikey.spi.InvalidationChannel;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Key invalidation over Redis pub/sub (Lettuce). Best effort: when Redis is down, messages are
 * lost and the cache TTL bounds revocation; the connection is retried in the background and
 * Lettuce re-subscribes after reconnecting. Publishing never blocks the caller (asynchronous).
 * The only class of the API-key feature that knows Redis, so a shared client can replace its own.
 */
public final class RedisInvalidationChannel implements InvalidationChannel {

    private static final System.Logger LOG = System.getLogger(RedisInvalidationChannel.class.getName());

    private final RedisClient client;
    private final String channel;
    private final List<Consumer<String>> receivers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService retry;
    private volatile StatefulRedisPubSubConnection<String, String> subscription;
    private volatile StatefulRedisConnection<String, String> publisher;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> retryTask;

    /**
     * Connects (or keeps trying every 10 s in the background).
     *
     * @param timeout the command timeout
     */
    public RedisInvalidationChannel(URI uri, String channel, Duration timeout) {
        RedisURI ru = RedisURI.create(uri);
        ru.setTimeout(timeout);
        this.client = RedisClient.create(ru);
        client.setOptions(ClientOptions.builder().autoReconnect(true).build());
        this.channel = channel;
        this.retry = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aegis-apikey-redis");
            t.setDaemon(true);
            return t;
        });
        if (!connect()) {
            retryTask = retry.scheduleWithFixedDelay(this::retryConnect, 10, 10, TimeUnit.SECONDS);
        }
    }

    private void retryConnect() {
        if (connect()) {
            ScheduledFuture<?> t = retryTask;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    private synchronized boolean connect() {
        if (subscription != null || closed) {
            return true;
        }
        try {
            StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String ch, String message) {
                    if (channel.equals(ch)) {
                        deliver(message);
                    }
                }
            });
            sub.sync().subscribe(channel);
            this.publisher = client.connect();
            this.subscription = sub;
            LOG.log(System.Logger.Level.INFO, "API-key revocations are broadcast on Redis channel " + channel);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Redis for API-key revocation broadcast is unavailable ("
                    + e.getMessage() + "); revocation relies on the cache TTL until it answers");
            return false;
        }
    }

    private void deliver(String message) {
        for (Consumer<String> r : receivers) {
            try {
                r.accept(message);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "API-key invalidation receiver failed", e);
            }
        }
    }

    /** {@code true} while subscribed. */
    public boolean connected() {
        StatefulRedisPubSubConnection<String, String> s = subscription;
        return s != null && s.isOpen();
    }

    @Override
    public void publish(String message) {
        StatefulRedisConnection<String, String> p = publisher;
        if (p == null) {
            deliver(message); // at least this process
            return;
        }
        p.async().publish(channel, message).exceptionally(e -> {
            LOG.log(System.Logger.Level.WARNING, "publishing an API-key invalidation failed: " + e.getMessage());
            deliver(message);
            return 0L;
        });
    }

    @Override
    public void subscribe(Consumer<String> receiver) {
        receivers.add(receiver);
    }

    @Override
    public void close() {
        closed = true;
        retry.shutdownNow();
        if (subscription != null) {
            subscription.close();
        }
        if (publisher != null) {
            publisher.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
