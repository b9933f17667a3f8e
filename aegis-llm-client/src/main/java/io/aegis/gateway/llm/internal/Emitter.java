package io.aegis.gateway.llm.internal;

import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downstream side of a publisher: a queue drained only as far as the subscriber requested,
 * with signals serialised by a work-in-progress counter (the usual drain loop), so {@code offer},
 * {@code request}, {@code complete} and {@code fail} may come from any thread.
 *
 * <p>When the subscriber wants more and the queue is empty, {@link Source#pull()} is called: the
 * source then produces (asynchronously or not) and offers. A source never produces without a
 * pull beyond what one upstream unit (one network chunk) yields, which bounds the queue.
 *
 * @param <T> the item type
 */
public final class Emitter<T> implements Flow.Subscription {

    /** The producing side. */
    public interface Source {
        /** The subscriber wants more and nothing is queued. Called from the drain loop; must not block. */
        void pull();

        /** The subscriber cancelled, or the emitter terminated: release resources (close the HTTP stream). */
        void cancel();
    }

    private final Flow.Subscriber<? super T> downstream;
    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong requested = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean terminated = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile Source source;
    private volatile boolean done;
    private volatile Throwable error;
    private volatile boolean cancelled;

    public Emitter(Flow.Subscriber<? super T> downstream) {
        this.downstream = Objects.requireNonNull(downstream, "downstream");
    }

    /** Sets the source and hands the subscription to the subscriber. Call once. */
    public void start(Source source) {
        this.source = source;
        downstream.onSubscribe(this);
        drain();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isDone() {
        return done;
    }

    /** Outstanding demand (after what is queued). */
    public long demand() {
        return requested.get() - queue.size();
    }

    public void offer(T item) {
        if (done || cancelled) {
            return;
        }
        queue.offer(item);
        drain();
    }

    public void complete() {
        done = true;
        drain();
    }

    public void fail(Throwable t) {
        if (done) {
            return;
        }
        error = t;
        done = true;
        drain();
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request: " + n + " (expected: > 0, reactive streams rule 3.9)"));
            return;
        }
        long r;
        long next;
        do {
            r = requested.get();
            next = r + n < 0 ? Long.MAX_VALUE : r + n;
        } while (!requested.compareAndSet(r, next));
        drain();
    }

    @Override
    public void cancel() {
        cancelled = true;
        release();
        drain();
    }

    private void release() {
        Source s = source;
        if (s != null && released.compareAndSet(false, true)) {
            s.cancel();
        }
    }

    /** Delivers what can be delivered; asks the source for more when the subscriber wants it. */
    public void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        boolean pull = false;
        for (;;) {
            if (cancelled) {
                queue.clear();
                return;
            }
            long r = requested.get();
            long emitted = 0;
            while (emitted != r) {
                if (cancelled) {
                    queue.clear();
                    return;
                }
                boolean d = done;
                T item = queue.poll();
                if (item == null) {
                    if (d) {
                        terminate();
                        return;
                    }
                    break;
                }
                downstream.onNext(item);
                emitted++;
            }
            if (done && queue.isEmpty()) {
                terminate();
                return;
            }
            if (emitted != 0 && r != Long.MAX_VALUE) {
                requested.addAndGet(-emitted);
            }
            pull = !done && queue.isEmpty() && requested.get() > 0;
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                break;
            }
        }
        if (pull && source != null && !cancelled) {
            source.pull();
        }
    }

    private void terminate() {
        if (!terminated.compareAndSet(false, true)) {
            return;
        }
        release();
        Throwable e = error;
        if (e != null) {
            downstream.onError(e);
        } else {
            downstream.onComplete();
        }
    }
}
