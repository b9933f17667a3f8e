package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.IncompleteResponseException;
import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.Message;
import io.aegis.gateway.llm.MidStreamPolicy;
import io.aegis.gateway.llm.StreamEvent;
import io.aegis.gateway.llm.Usage;
import io.aegis.gateway.llm.budget.BudgetExceededException;
import io.aegis.gateway.llm.budget.Reservation;
import io.opentelemetry.api.trace.Span;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One streamed call across candidates, implementing the mid-stream contract:
 * <ul>
 *   <li>before anything reached the subscriber, a failure retries or fails over transparently;</li>
 *   <li>{@code BUFFERED_RESTART} holds back the first deltas (count or time) so a failure while they
 *       are held is still invisible;</li>
 *   <li>after text reached the subscriber: {@code FAIL} ends with an {@link IncompleteResponseException};
 *       {@code PREFILL} asks the next candidate that supports prefill to continue the delivered text;
 *       a stream that delivered a tool call is never resumed.</li>
 * </ul>
 * Upstream chunks are requested one at a time, only when the subscriber has demand (or while
 * filling the hold-back buffer). All state changes happen under this object's lock; signals of an
 * attempt that was abandoned are ignored by generation number.
 */
final class StreamCall implements Emitter.Source {

    static final Emitter.Source NOTHING = new Emitter.Source() {
        @Override
        public void pull() {
        }

        @Override
        public void cancel() {
        }
    };

    private final Router router;
    private final LlmRequest request;
    private final List<Router.Target> targets;
    private final String cacheKey;
    private final long start;
    private final Emitter<StreamEvent> emitter;
    private final MidStreamPolicy policy;
    private final List<LlmException> failures = new ArrayList<>();
    private final StringBuilder delivered = new StringBuilder();
    private final StringBuilder attemptText = new StringBuilder();
    private final List<StreamEvent> held = new ArrayList<>();

    private int index;
    private int attempt;
    private int attempts;
    private long reopenNanos = Long.MAX_VALUE;
    private int generation;
    private Router.Target target;
    private Reservation reservation;
    private Span span;
    private long attemptStart;
    private Flow.Subscription upstream;
    private boolean outstanding;
    private boolean deliveredAny;
    private boolean toolStarted;
    private boolean released;
    private ScheduledFuture<?> holdTimer;
    private boolean finished;
    private boolean firstSeen;
    private LlmRequest continuation;
    private String prefix = "";
    private Usage priorUsage;
    private BigDecimal priorCost = BigDecimal.ZERO;
    private boolean priorCostUnknown;

    StreamCall(Router router, LlmRequest request, List<Router.Target> targets, String cacheKey, long start,
               Emitter<StreamEvent> emitter, MidStreamPolicy policy) {
        this.router = router;
        this.request = request;
        this.targets = targets;
        this.cacheKey = cacheKey;
        this.start = start;
        this.emitter = emitter;
        this.policy = policy;
        this.released = policy.mode() != MidStreamPolicy.Mode.BUFFERED_RESTART || policy.bufferTokens() == 0;
    }

    /** Starts the next attempt (same candidate after a retry delay, else the next one). */
    synchronized void next() {
        while (!finished && index < targets.size()) {
            Router.Target t = targets.get(index);
            if (continuation != null && !t.provider().supportsPrefill()) {
                moveOn();
                continue;
            }
            Reservation res;
            try {
                res = router.reserveFor(request, t);
            } catch (BudgetExceededException e) {
                failures.add(e);
                moveOn();
                continue;
            } catch (LlmException e) {
                fail(e);
                return;
            }
            if (!t.breaker().tryAcquire()) {
                router.settleFor(res, BigDecimal.ZERO);
                reopenNanos = Math.min(reopenNanos, t.breaker().remainingNanos());
                failures.add(router.circuitOpenFor(t));
                moveOn();
                continue;
            }
            attempt++;
            attempts++;
            launch(t, res);
            return;
        }
        if (finished) {
            return;
        }
        if (continuation != null) {
            LlmException cause = failures.isEmpty() ? new LlmException(LlmErrorKind.UNAVAILABLE, "no candidate")
                    : failures.get(failures.size() - 1);
            fail(incomplete("no candidate that supports prefill could continue it", cause));
            return;
        }
        fail(router.exhaustedFor(failures, reopenNanos == Long.MAX_VALUE ? 0 : reopenNanos));
    }

    private void moveOn() {
        index++;
        attempt = 0;
    }

    private void launch(Router.Target t, Reservation res) {
        int gen = ++generation;
        target = t;
        reservation = res;
        attemptText.setLength(0);
        firstSeen = false;
        span = router.telemetry().startAttempt(t.provider().genAiProviderName(), t.provider().name(), t.model(), true);
        attemptStart = router.nanoTime().getAsLong();
        upstream = null;
        outstanding = false;
        LlmRequest r = continuation != null ? continuation : request;
        Flow.Publisher<StreamEvent> p;
        try {
            p = t.provider().stream(r, t.model());
        } catch (RuntimeException e) {
            attemptFailed(gen, e instanceof LlmException le ? le : Errors.transport(e, t.provider().name(), t.model()));
            return;
        }
        p.subscribe(new Attempt(gen));
    }

    private final class Attempt implements Flow.Subscriber<StreamEvent> {
        private final int gen;

        Attempt(int gen) {
            this.gen = gen;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            synchronized (StreamCall.this) {
                if (gen != generation || finished) {
                    s.cancel();
                    return;
                }
                upstream = s;
                demand();
            }
        }

        @Override
        public void onNext(StreamEvent e) {
            synchronized (StreamCall.this) {
                if (gen != generation || finished) {
                    return;
                }
                outstanding = false;
                event(e);
                demand();
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (StreamCall.this) {
                if (gen != generation || finished) {
                    return;
                }
                Throwable c = Errors.unwrap(t);
                attemptFailed(gen, c instanceof LlmException le ? le
                        : Errors.transport(c, target.provider().name(), target.model()));
            }
        }

        @Override
        public void onComplete() {
            synchronized (StreamCall.this) {
                if (gen != generation || finished) {
                    return;
                }
                // A provider stream that completes without Done broke its contract: treat as cut.
                attemptFailed(gen, new LlmException(LlmErrorKind.STREAM_INTERRUPTED, target.label()
                        + ": stream completed without an answer", target.provider().name(), target.model(), 0, null,
                        null, null, null));
            }
        }
    }

    /** Asks upstream for one more event when the subscriber (or the hold-back buffer) wants it. */
    private void demand() {
        if (finished || upstream == null || outstanding) {
            return;
        }
        boolean filling = !released && held.size() < policy.bufferTokens();
        if (emitter.demand() > 0 || filling) {
            outstanding = true;
            upstream.request(1);
        }
    }

    private void event(StreamEvent e) {
        if (!firstSeen && (e instanceof StreamEvent.Delta || e instanceof StreamEvent.ToolCallDelta)) {
            firstSeen = true;
            router.recordLatency(target, true, router.nanoTime().getAsLong() - attemptStart);
        }
        if (e instanceof StreamEvent.Delta d) {
            attemptText.append(d.text());
            hold(e);
        } else if (e instanceof StreamEvent.ToolCallDelta) {
            hold(e);
        } else if (e instanceof StreamEvent.Done done) {
            succeeded(done.response());
        }
        // UsageReport of the attempt is replaced by the call's own, sent with Done.
    }

    private void hold(StreamEvent e) {
        if (released) {
            deliver(e);
            return;
        }
        if (held.isEmpty() && !policy.bufferTime().isZero()) {
            int gen = generation;
            holdTimer = router.scheduler.schedule(() -> {
                synchronized (StreamCall.this) {
                    if (gen == generation && !finished) {
                        release();
                        demand();
                    }
                }
            }, policy.bufferTime().toNanos(), TimeUnit.NANOSECONDS);
        }
        held.add(e);
        if (held.size() >= policy.bufferTokens()) {
            release();
        }
    }

    private void release() {
        released = true;
        if (holdTimer != null) {
            holdTimer.cancel(false);
            holdTimer = null;
        }
        for (StreamEvent e : held) {
            deliver(e);
        }
        held.clear();
    }

    private void deliver(StreamEvent e) {
        if (e instanceof StreamEvent.Delta d) {
            delivered.append(d.text());
        } else if (e instanceof StreamEvent.ToolCallDelta) {
            toolStarted = true;
        }
        deliveredAny = true;
        emitter.offer(e);
    }

    private void succeeded(LlmResponse r) {
        // Held-back text is released only after validation: a refused answer that nobody saw yet can
        // still fail over invisibly.
        Router.Target t = target;
        t.breaker().onSuccess();
        BigDecimal cost = t.price() == null ? null : t.price().cost(r.usage());
        router.settleFor(reservation, cost);
        reservation = null;
        double seconds = (router.nanoTime().getAsLong() - attemptStart) / 1e9;
        router.telemetry().success(span, t.provider().genAiProviderName(), t.provider().name(), t.model(), r.model(),
                r.usage(), seconds, cost);
        Usage usage = priorUsage == null ? r.usage() : priorUsage.plus(r.usage());
        BigDecimal total = cost == null || priorCostUnknown ? null : cost.add(priorCost);
        LlmResponse out = r.toBuilder().content(prefix + r.content()).usage(usage).cost(total).attempts(attempts)
                .latency(Duration.ofNanos(router.nanoTime().getAsLong() - start)).build();
        Optional<String> bad = router.validateFor(request, out, t);
        if (bad.isPresent()) {
            LlmException e = router.validationFailureFor(t, bad.get());
            if (!deliveredAny) {
                failures.add(e);
                router.failedOverFor(t, e);
                resetAttempt();
                moveOn();
                router.scheduler.execute(this::next);
                return;
            }
            fail(e);
            return;
        }
        release();
        router.cachePut(cacheKey, request, targets, out);
        finished = true;
        emitter.offer(new StreamEvent.UsageReport(usage));
        emitter.offer(new StreamEvent.Done(out));
        emitter.complete();
    }

    private void resetAttempt() {
        upstream = null;
        outstanding = false;
        generation++;
        held.clear();
        if (holdTimer != null) {
            holdTimer.cancel(false);
            holdTimer = null;
        }
        released = policy.mode() != MidStreamPolicy.Mode.BUFFERED_RESTART || policy.bufferTokens() == 0;
    }

    private void attemptFailed(int gen, LlmException e) {
        Router.Target t = target;
        double seconds = (router.nanoTime().getAsLong() - attemptStart) / 1e9;
        router.telemetry().failure(span, t.provider().genAiProviderName(), t.provider().name(), t.model(), e, seconds);
        // Tokens the provider generated before failing are billed: settle an estimate of them.
        BigDecimal spent = BigDecimal.ZERO;
        Usage partial = null;
        if (attemptText.length() > 0) {
            partial = Usage.estimated(TokenEstimator.estimateInput(continuation != null ? continuation : request),
                    TokenEstimator.estimateText(attemptText.toString()));
            spent = t.price() == null ? null : t.price().cost(partial);
        }
        router.settleFor(reservation, spent);
        reservation = null;
        if (e.kind() == LlmErrorKind.CANCELLED) {
            t.breaker().release();
            fail(e);
            return;
        }
        router.failureFor(t, e);
        failures.add(e);
        resetAttempt();
        if (!deliveredAny) {
            Duration delay = router.retryDelayFor(e, attempt);
            if (delay != null) {
                router.scheduler.schedule(this::next, delay.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
            if (!e.kind().failover()) {
                fail(e);
                return;
            }
            router.failedOverFor(t, e);
            moveOn();
            router.scheduler.execute(this::next);
            return;
        }
        if (policy.mode() == MidStreamPolicy.Mode.PREFILL && !toolStarted) {
            if (partial != null) {
                priorUsage = priorUsage == null ? partial : priorUsage.plus(partial);
                if (spent == null) {
                    priorCostUnknown = true;
                } else {
                    priorCost = priorCost.add(spent);
                }
            }
            prefix = delivered.toString();
            continuation = request.toBuilder().message(Message.assistant(prefix)).build();
            router.failedOverFor(t, e);
            Duration delay = t.provider().supportsPrefill() ? router.retryDelayFor(e, attempt) : null;
            if (delay == null) {
                moveOn();
            }
            router.scheduler.schedule(this::next, delay == null ? 0 : delay.toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        fail(incomplete(toolStarted ? "a tool call was being streamed" : "text was already delivered", e));
    }

    private IncompleteResponseException incomplete(String why, LlmException cause) {
        String where = cause.provider() == null ? "" : cause.provider() + "/" + cause.model() + " ";
        return new IncompleteResponseException("stream from " + where + "failed after " + delivered.length()
                + " characters (" + why + "): " + cause.getMessage(), delivered.toString(), toolStarted, cause);
    }

    private void fail(LlmException e) {
        if (finished) {
            return;
        }
        finished = true;
        cancelUpstream();
        if (reservation != null) {
            router.settleFor(reservation, BigDecimal.ZERO);
            reservation = null;
        }
        Router.failStream(emitter, e);
    }

    private void cancelUpstream() {
        Flow.Subscription s = upstream;
        upstream = null;
        generation++;
        if (s != null) {
            s.cancel();
        }
        if (holdTimer != null) {
            holdTimer.cancel(false);
        }
    }

    @Override
    public synchronized void pull() {
        demand();
    }

    @Override
    public synchronized void cancel() {
        if (finished) {
            return;
        }
        finished = true;
        if (target != null && upstream != null) {
            target.breaker().release();
        }
        cancelUpstream();
        if (reservation != null) {
            // The request was sent: the provider bills its prompt and what it generated (estimated here).
            Router.Target t = target;
            BigDecimal spent = t == null || t.price() == null ? BigDecimal.ZERO : t.price().cost(Usage.estimated(
                    TokenEstimator.estimateInput(continuation != null ? continuation : request),
                    TokenEstimator.estimateText(attemptText.toString())));
            router.settleFor(reservation, spent);
            reservation = null;
        }
    }

    /** Whether the call is still on its first candidate and has produced nothing (hedging may start). */
    synchronized boolean onFirstCandidateWithoutOutput() {
        return !finished && index == 0 && attemptText.length() == 0 && !deliveredAny && held.isEmpty();
    }
}
