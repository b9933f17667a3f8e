package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.StreamEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * A hedged stream: the primary call runs over every candidate; when it has produced nothing after
 * the threshold (time to first token) while still on its first candidate, a second call starts on
 * the remaining candidates. The first call to produce an event wins and is forwarded; the other is
 * cancelled (its HTTP stream closed, its prompt accounted for). Nothing reaches the subscriber before
 * a winner is chosen, so the race is invisible. A call that fails while the other still runs is
 * ignored; when both fail, the last failure is forwarded.
 */
final class HedgedStream implements Emitter.Source {

    private final Router router;
    private final Emitter<StreamEvent> emitter;
    private final BiFunction<Flow.Subscriber<StreamEvent>, List<Router.Target>, StreamCall> starter;
    private final List<Router.Target> targets;
    private final Duration threshold;
    private Leg primary;
    private Leg second;
    private Leg winner;
    private ScheduledFuture<?> timer;
    private boolean closed;

    HedgedStream(Router router, Emitter<StreamEvent> emitter,
                 BiFunction<Flow.Subscriber<StreamEvent>, List<Router.Target>, StreamCall> starter,
                 List<Router.Target> targets, Duration threshold) {
        this.router = router;
        this.emitter = emitter;
        this.starter = starter;
        this.targets = targets;
        this.threshold = threshold;
    }

    void start() {
        emitter.start(this);
        Leg p = new Leg();
        synchronized (this) {
            primary = p;
            timer = router.scheduler.schedule(this::hedge, threshold.toNanos(), TimeUnit.NANOSECONDS);
        }
        p.call = starter.apply(p, targets);
    }

    private void hedge() {
        Leg s;
        synchronized (this) {
            if (closed || winner != null || primary.failed || primary.call == null
                    || !primary.call.onFirstCandidateWithoutOutput()) {
                return;
            }
            s = new Leg();
            second = s;
        }
        router.hedgeStarted(targets.get(0), threshold);
        s.call = starter.apply(s, targets.subList(1, targets.size()));
    }

    private final class Leg implements Flow.Subscriber<StreamEvent> {
        volatile StreamCall call;
        Flow.Subscription subscription;
        boolean outstanding;
        boolean failed;
        StreamEvent.Failed failure;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (HedgedStream.this) {
                subscription = s;
                if (closed || winner != null && winner != this) {
                    s.cancel();
                    return;
                }
                outstanding = true;
            }
            s.request(1);
        }

        @Override
        public void onNext(StreamEvent e) {
            Leg loser = null;
            synchronized (HedgedStream.this) {
                outstanding = false;
                if (e instanceof StreamEvent.Failed f) {
                    failure = f;
                    return;
                }
                if (winner == null) {
                    winner = this;
                    loser = this == primary ? second : primary;
                    if (timer != null) {
                        timer.cancel(false);
                    }
                } else if (winner != this) {
                    return;
                }
            }
            if (loser != null && loser.subscription != null) {
                loser.subscription.cancel();
            }
            emitter.offer(e);
            pull();
        }

        @Override
        public void onError(Throwable t) {
            synchronized (HedgedStream.this) {
                failed = true;
                if (winner == null) {
                    Leg other = this == primary ? second : primary;
                    if (other != null && !other.failed) {
                        return;
                    }
                    if (timer != null) {
                        timer.cancel(false);
                    }
                } else if (winner != this) {
                    return;
                }
            }
            if (failure != null) {
                emitter.offer(failure);
            }
            emitter.fail(t);
        }

        @Override
        public void onComplete() {
            synchronized (HedgedStream.this) {
                if (winner != this) {
                    return;
                }
            }
            emitter.complete();
        }
    }

    @Override
    public void pull() {
        Flow.Subscription s;
        synchronized (this) {
            if (winner == null || winner.outstanding || winner.subscription == null || emitter.demand() <= 0) {
                return;
            }
            winner.outstanding = true;
            s = winner.subscription;
        }
        s.request(1);
    }

    @Override
    public void cancel() {
        Leg a;
        Leg b;
        synchronized (this) {
            closed = true;
            a = primary;
            b = second;
            if (timer != null) {
                timer.cancel(false);
            }
        }
        for (Leg l : new Leg[] {a, b}) {
            if (l != null && l.subscription != null) {
                l.subscription.cancel();
            }
        }
    }
}
