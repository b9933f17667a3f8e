package io.aegis.gateway.internal;

import com.github.benmanes.caffeine.cache.Caffeine;

/** How the core builds its Caffeine caches. */
public final class Caches {

    private Caches() {
    }

    /**
     * A Caffeine builder whose maintenance (draining the read and write buffers, evicting,
     * expiring) runs on the thread that triggers it. Caffeine's default hands that work to
     * {@code ForkJoinPool.commonPool()}, which wakes a pool thread every few dozen reads: on a busy
     * server with few cores the wake-up costs more than the work (measured over HTTP: about 1 µs
     * of CPU per request across the JWT and rate-limit caches). None of our caches has a listener
     * that could block the caller.
     */
    public static Caffeine<Object, Object> builder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
