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
     * server with few cores the wake-up costs more than the work (async-profiler over the HTTP load
     * run showed it as futex wake-ups; the benchmarks' {@code PipelineCpu} on two threads: a median
     * of 1.30 µs of process CPU per request instead of 1.64). None of our caches has a listener that could block
     * the caller.
     */
    public static Caffeine<Object, Object> builder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
