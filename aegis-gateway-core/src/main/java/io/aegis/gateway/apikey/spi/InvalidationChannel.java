package io.aegis.gateway.apikey.spi;

import java.util.function.Consumer;

/**
 * Tells the other replicas that a key changed, so they drop it from their caches at once instead
 * of at the end of the cache TTL. Delivery is best effort: the TTL stays the guaranteed bound.
 *
 * <p>Implementations must be thread-safe; {@link #publish} must not block a caller for long.
 */
public interface InvalidationChannel extends AutoCloseable {

    /** Sends a message to every subscriber, this process included. */
    void publish(String message);

    /** Registers the receiver of every message. */
    void subscribe(Consumer<String> receiver);

    @Override
    default void close() {
    }
}
