package io.aegis.gateway.resilience;

import dev.failsafe.Bulkhead;
import dev.failsafe.Failsafe;
import dev.failsafe.Policy;
import dev.failsafe.RetryPolicy;
import io.aegis.gateway.resilience.internal.CircuitBreaker;
import io.aegis.gateway.resilience.internal.ClientTelemetry;
import io.aegis.gateway.resilience.internal.LastGoodCache;
import io.aegis.gateway.resilience.internal.PoolListener;
import io.aegis.gateway.resilience.internal.RetryBudget;
import io.aegis.gateway.resilience.internal.TargetPool;
import io.aegis.gateway.resilience.internal.TargetState;
import io.aegis.gateway.resilience.spi.OutboundCredentials;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The client of one upstream: every call bounded in time, retried only when that is safe and the
 * budget allows, kept away from broken targets, limited in concurrency, observable, and answered
 * by a fallback when all else fails. Built from the upstream's {@link UpstreamPolicy}; one
 * instance per upstream, shared by all threads.
 *
 * <h2>Composition order</h2>
 * Outermost first, each layer wrapping the next:
 * <ol>
 *   <li><b>fallback</b> — answers a call that failed after everything below (Failsafe
 *       {@code Fallback});</li>
 *   <li><b>total deadline</b> — the sooner of {@link Timeouts#total()} and the caller's
 *       {@link CallContext#deadline()}; it bounds every wait below (retry delays, bulkhead queue,
 *       each try), and is sent on each try as {@value Deadline#HEADER};</li>
 *   <li><b>retry</b> with the retry budget (Failsafe {@code RetryPolicy}); a retry prefers a
 *       target not tried yet in this call;</li>
 *   <li><b>target choice and circuit breaker per target</b> — the load balancer picks among the
 *       available targets (healthy, not ejected, circuit not open) and takes a breaker permit; an
 *       open circuit everywhere fails fast and is not retried;</li>
 *   <li><b>bulkhead</b> per upstream (Failsafe {@code Bulkhead} plus a bounded queue); a full
 *       bulkhead fails fast, is not retried, and does not count against the breaker;</li>
 *   <li><b>per-try timeout</b> — the try is cancelled (its connection closed) when it runs out.</li>
 * </ol>
 * Each try feeds the target's breaker and outlier detection, the metrics and a client span.
 *
 * <h2>Threads</h2>
 * {@link #send} runs on the calling thread (it blocks at most until the deadline);
 * {@link #sendAsync} runs it on the client's own pool. Active health checks run on one scheduler
 * thread when enabled. {@link #close()} stops them; calls after close fail with
 * {@link UpstreamException.Kind#CLOSED}.
 *
 * <p>Thread-safe. {@link #update(UpstreamPolicy)} changes targets and settings at run time without
 * disturbing calls in flight.
 */
public final class ServiceClient implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ServiceClient.class.getName());
    private static final int LAST_GOOD_ENTRIES = 1000;
    /** Response bodies larger than this fail the try ({@link UpstreamException.Kind#RESPONSE_TOO_LARGE}). */
    public static final int MAX_RESPONSE_BYTES = 16 << 20;

    private final String name;
    private final GatewayEvents events;
    private final ClientTelemetry telemetry;
    private final LongSupplier ticker;
    private final Clock clock;
    private final Random random;
    private final OutboundCredentials credentials;
    private final Fallback defaultFallback;
    private final LastGoodCache<OutboundResponse> lastGood = new LastGoodCache<>(LAST_GOOD_ENTRIES);
    private final ExecutorService httpExecutor;
    private final ExecutorService callExecutor;
    private final TargetPool pool;
    private final Object healthLock = new Object();
    private ScheduledExecutorService healthScheduler;
    private ScheduledFuture<?> healthTask;
    private volatile State state;
    private volatile boolean closed;

    /** What changes together on {@link #update}: calls read one snapshot. */
    private record State(UpstreamPolicy policy, HttpClient http, Bulkhead<Object> bulkhead, AtomicInteger waiting,
                         RetryBudget budget) {
    }

    private ServiceClient(Builder b) {
        UpstreamPolicy policy = b.policy;
        this.name = policy.name();
        this.events = b.events;
        this.telemetry = new ClientTelemetry(b.openTelemetry);
        this.ticker = b.ticker;
        this.clock = b.clock;
        this.random = b.random;
        this.credentials = b.credentials;
        this.defaultFallback = b.fallback;
        checkCredentials(policy);
        this.httpExecutor = Executors.newCachedThreadPool(daemon("aegis-upstream-" + name + "-io"));
        this.callExecutor = Executors.newCachedThreadPool(daemon("aegis-upstream-" + name + "-call"));
        this.pool = new TargetPool(policy, ticker, random, new Listener());
        this.state = new State(policy, http(policy), bulkhead(policy), new AtomicInteger(),
                new RetryBudget(policy.retry(), ticker));
        scheduleHealthChecks(policy, null);
    }

    /** Starts a client for this upstream. */
    public static Builder builder(UpstreamPolicy policy) {
        return new Builder(policy);
    }

    /** The upstream's name. */
    public String name() {
        return name;
    }

    /** The policy in force. */
    public UpstreamPolicy policy() {
        return state.policy;
    }

    /**
     * Makes a call and waits for its outcome.
     *
     * @param context what the call inherits from the request it serves ({@link CallContext#none()} for none)
     * @return the response of the last try (any status, a 5xx only once retries are spent and no
     *     fallback answered), or a fallback's answer
     * @throws UpstreamException when no response was had and no fallback answered
     */
    public OutboundResponse send(CallContext context, OutboundRequest request) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(request, "request");
        State st = state;
        if (closed) {
            throw new UpstreamException(name, UpstreamException.Kind.CLOSED, null, "the client is closed", null);
        }
        Deadline deadline = Deadline.after(st.policy.timeouts().total(), ticker).earliest(context.deadline());
        Call call = new Call(context, request, deadline, st);
        st.budget.onCall();
        Fallback fallback = request.fallback() != null ? request.fallback() : defaultFallback;
        List<Policy<OutboundResponse>> policies = new ArrayList<>(2);
        if (fallback != null) {
            dev.failsafe.function.CheckedFunction<dev.failsafe.event.ExecutionAttemptedEvent<? extends OutboundResponse>,
                    OutboundResponse> answer = e -> fallback(call, fallback, e.getLastResult(), e.getLastException());
            policies.add(dev.failsafe.Fallback.<OutboundResponse>builder(answer)
                    .handleIf((r, t) -> t instanceof UpstreamException || r != null && r.status() >= 500)
                    .build());
        }
        policies.add(retryPolicy(call));
        try {
            return Failsafe.with(policies).get(() -> attempt(call));
        } catch (dev.failsafe.FailsafeException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new UpstreamException(name, UpstreamException.Kind.INTERRUPTED, null, "interrupted", cause);
            }
            throw e;
        }
    }

    /**
     * Makes a call on the client's own threads, for fan-out to several upstreams at once. The
     * future completes with the response or fails with an {@link UpstreamException}; cancelling it
     * interrupts the call.
     */
    public CompletableFuture<OutboundResponse> sendAsync(CallContext context, OutboundRequest request) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(request, "request");
        CompletableFuture<OutboundResponse> f = new CompletableFuture<>();
        if (closed) {
            f.completeExceptionally(new UpstreamException(name, UpstreamException.Kind.CLOSED, null, "the client is closed", null));
            return f;
        }
        java.util.concurrent.Future<?> task = callExecutor.submit(() -> {
            try {
                f.complete(send(context, request));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        f.whenComplete((r, t) -> {
            if (f.isCancelled()) {
                task.cancel(true);
            }
        });
        return f;
    }

    private RetryPolicy<OutboundResponse> retryPolicy(Call call) {
        RetrySettings rs = call.state.policy.retry();
        return RetryPolicy.<OutboundResponse>builder()
                .handleIf((r, t) -> t != null ? retryable(t) : r != null && rs.retryOn().contains(r.status()))
                .abortIf((r, t) -> !mayRetry(call, r, t))
                .withMaxAttempts(rs.maxAttempts())
                .withDelayFn(ctx -> nextDelay(call, ctx.getLastResult()))
                .onRetry(e -> telemetry.retry(name))
                .build();
    }

    private static boolean retryable(Throwable t) {
        if (!(t instanceof UpstreamException u)) {
            return false;
        }
        return switch (u.kind()) {
            case CONNECT_FAILED, CONNECTION_LOST, TIMEOUT -> true;
            default -> false;
        };
    }

    /** Called by Failsafe for each failed try, after {@link #nextDelay}: may it be tried again? */
    private boolean mayRetry(Call call, OutboundResponse r, Throwable t) {
        if (call.attempts >= call.state.policy.retry().maxAttempts()) {
            return true; // no retry left anyway; Failsafe ends the call
        }
        boolean sent = t == null || t instanceof UpstreamException u && u.sent();
        if (sent && !call.request.mayRetryAfterSending()) {
            return false;
        }
        if (call.nextDelayNanos >= call.deadline.remainingNanos()) {
            return false;
        }
        if (!call.state.budget.tryRetry()) {
            telemetry.budgetExhausted(name);
            events.publish(GatewayEvent.of(ResilienceEvents.RETRY_BUDGET_EXHAUSTED, "upstream", name,
                    "method", call.request.method()));
            return false;
        }
        return true;
    }

    /** Full jitter, or the upstream's Retry-After when longer. */
    private Duration nextDelay(Call call, OutboundResponse last) {
        RetrySettings rs = call.state.policy.retry();
        int retry = Math.max(1, call.attempts);
        long cap = rs.initialBackoff().toNanos();
        for (int i = 1; i < retry && cap < rs.maxBackoff().toNanos(); i++) {
            cap *= 2;
        }
        cap = Math.min(cap, rs.maxBackoff().toNanos());
        long delay = (long) (random.nextDouble() * cap);
        if (last != null) {
            long retryAfter = retryAfterNanos(last.header("Retry-After"));
            if (retryAfter > delay) {
                delay = retryAfter;
            }
        }
        call.nextDelayNanos = delay;
        call.delays.add(Duration.ofNanos(delay));
        return Duration.ofNanos(delay);
    }

    /** {@code Retry-After} as delta-seconds or an HTTP-date (RFC 9110 §10.2.3); -1 when absent or invalid. */
    long retryAfterNanos(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.strip();
        if (!v.isEmpty() && v.length() <= 9 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return TimeUnit.SECONDS.toNanos(Long.parseLong(v));
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Math.max(0, Duration.between(clock.instant(), at).toNanos());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** One try: target and breaker permit, bulkhead, the exchange under the per-try timeout. */
    private OutboundResponse attempt(Call call) {
        int attempt = ++call.attempts;
        State st = call.state;
        if (closed) {
            throw new UpstreamException(name, UpstreamException.Kind.CLOSED, null, "the client is closed", null);
        }
        if (call.deadline.expired()) {
            throw new UpstreamException(name, UpstreamException.Kind.DEADLINE_EXCEEDED, null,
                    "no time left for try " + attempt, null);
        }
        TargetPool.Pick pick;
        try {
            pick = pool.pick(call.tried);
        } catch (TargetPool.NoTarget e) {
            UpstreamException.Kind kind = e.refusal() == TargetPool.Refusal.CIRCUIT_OPEN
                    ? UpstreamException.Kind.CIRCUIT_OPEN : UpstreamException.Kind.NO_AVAILABLE_TARGET;
            telemetry.rejection(name, kind.name().toLowerCase(java.util.Locale.ROOT));
            throw new UpstreamException(name, kind, null, e.getMessage(), null);
        }
        TargetState ts = pick.state();
        Target target = ts.target();
        if (!acquireBulkhead(st, call)) {
            ts.breaker().release(pick.permit());
            telemetry.rejection(name, "bulkhead_full");
            throw new UpstreamException(name, UpstreamException.Kind.BULKHEAD_FULL, target.authority(),
                    "more than " + st.policy.bulkhead().maxConcurrent() + " calls in flight", null);
        }
        call.tried.add(ts);
        try {
            return exchange(call, st, ts, pick.permit(), attempt);
        } finally {
            st.bulkhead.releasePermit();
        }
    }

    private boolean acquireBulkhead(State st, Call call) {
        if (st.bulkhead.tryAcquirePermit()) {
            return true;
        }
        BulkheadSettings bs = st.policy.bulkhead();
        if (bs.maxQueue() == 0 || bs.maxWait().isZero()) {
            return false;
        }
        if (st.waiting.incrementAndGet() > bs.maxQueue()) {
            st.waiting.decrementAndGet();
            return false;
        }
        try {
            long wait = Math.min(bs.maxWait().toNanos(), call.deadline.remainingNanos());
            return wait > 0 && st.bulkhead.tryAcquirePermit(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            st.waiting.decrementAndGet();
        }
    }

    private OutboundResponse exchange(Call call, State st, TargetState ts, CircuitBreaker.Permit permit, int attempt) {
        Target target = ts.target();
        UpstreamPolicy p = st.policy;
        long perTry = p.timeouts().perTry().toNanos();
        long remaining = call.deadline.remainingNanos();
        boolean deadlineBound = remaining < perTry;
        long budget = Math.max(1, Math.min(perTry, remaining));
        String url = p.scheme() + "://" + target.authority() + call.request.path();
        URI uri = URI.create(url + (call.request.query() == null ? "" : "?" + call.request.query()));

        Context parent = telemetry.parent(call.context.traceContext(), call.context.inboundTraceHeaders());
        Span span = telemetry.startSpan(parent, call.request.method(), target.host(), target.port(), url, attempt - 1, name);
        HttpRequest.Builder hb = HttpRequest.newBuilder(uri).timeout(Duration.ofNanos(budget));
        call.request.headers().forEach((k, vs) -> vs.forEach(v -> hb.header(k, v)));
        telemetry.propagator().inject(parent.with(span), hb, (b, k, v) -> b.setHeader(k, v));
        hb.setHeader(Deadline.HEADER, Long.toString(Math.max(1, TimeUnit.NANOSECONDS.toMillis(budget))));
        String authorization = authorization(p, call.context);
        if (authorization != null) {
            hb.setHeader("Authorization", authorization);
        }
        hb.method(call.request.method(), call.request.bodyLength() == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(call.request.bodyUnsafe()));

        long start = ticker.getAsLong();
        long wallStart = System.nanoTime();
        int status = 0;
        String errorType = null;
        TargetPool.Outcome outcome = TargetPool.Outcome.IGNORED;
        Boolean breakerSuccess = null;
        CompletableFuture<HttpResponse<byte[]>> f = null;
        ts.callStarted();
        try {
            f = st.http.sendAsync(hb.build(), info -> new LimitedBody(MAX_RESPONSE_BYTES));
            HttpResponse<byte[]> r = f.get(budget, TimeUnit.NANOSECONDS);
            status = r.statusCode();
            boolean serverError = status >= 500;
            breakerSuccess = !serverError;
            outcome = serverError ? TargetPool.Outcome.SERVER_ERROR : TargetPool.Outcome.SUCCESS;
            if (serverError) {
                errorType = Integer.toString(status);
            }
            if (status == 401 && p.identity() == IdentityPropagation.CREDENTIALS && credentials != null) {
                credentials.rejected(name, authorization);
            }
            OutboundResponse resp = OutboundResponse.received(status, r.headers().map(), r.body(), target.authority(), attempt);
            if (resp.successful() && ("GET".equals(call.request.method()) || "HEAD".equals(call.request.method()))) {
                lastGood.put(cacheKey(call.request), resp);
            }
            return resp;
        } catch (TimeoutException e) {
            f.cancel(true);
            if (deadlineBound) {
                errorType = "deadline_exceeded";
                throw new UpstreamException(name, UpstreamException.Kind.DEADLINE_EXCEEDED, target.authority(),
                        "the deadline passed during try " + attempt, null);
            }
            errorType = "timeout";
            breakerSuccess = false;
            outcome = TargetPool.Outcome.NO_RESPONSE;
            throw new UpstreamException(name, UpstreamException.Kind.TIMEOUT, target.authority(),
                    "no complete answer within " + p.timeouts().perTry(), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            UpstreamException.Kind kind = classify(cause);
            errorType = cause.getClass().getName();
            if (kind == UpstreamException.Kind.TIMEOUT && deadlineBound) {
                throw new UpstreamException(name, UpstreamException.Kind.DEADLINE_EXCEEDED, target.authority(),
                        "the deadline passed during try " + attempt, cause);
            }
            breakerSuccess = false;
            outcome = TargetPool.Outcome.NO_RESPONSE;
            throw new UpstreamException(name, kind, target.authority(), cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), cause);
        } catch (InterruptedException | CancellationException e) {
            if (f != null) {
                f.cancel(true);
            }
            Thread.currentThread().interrupt();
            errorType = "interrupted";
            throw new UpstreamException(name, UpstreamException.Kind.INTERRUPTED, target.authority(), "interrupted", e);
        } catch (RuntimeException e) {
            // IllegalArgumentException from the JDK for a header it refuses, etc.: a bug of the caller
            errorType = e.getClass().getName();
            throw e;
        } finally {
            ts.callEnded();
            if (breakerSuccess != null) {
                ts.breaker().record(permit, breakerSuccess);
            } else {
                ts.breaker().release(permit);
            }
            pool.record(ts, outcome);
            double seconds = (System.nanoTime() - wallStart) / 1e9;
            telemetry.recordDuration(seconds, call.request.method(), target.host(), target.port(), status, errorType, name);
            telemetry.endSpan(span, status, errorType);
            if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, name + " try " + attempt + " " + call.request.method() + " "
                        + target.authority() + " -> " + (status > 0 ? status : errorType) + " in "
                        + TimeUnit.NANOSECONDS.toMillis(ticker.getAsLong() - start) + " ms");
            }
        }
    }

    private static UpstreamException.Kind classify(Throwable cause) {
        if (cause instanceof LimitedBody.TooLarge) {
            return UpstreamException.Kind.RESPONSE_TOO_LARGE;
        }
        if (cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException) {
            return UpstreamException.Kind.CONNECT_FAILED;
        }
        if (cause instanceof HttpTimeoutException) {
            return UpstreamException.Kind.TIMEOUT;
        }
        if (cause instanceof IOException && cause.getCause() instanceof ConnectException) {
            return UpstreamException.Kind.CONNECT_FAILED;
        }
        return UpstreamException.Kind.CONNECTION_LOST;
    }

    private String authorization(UpstreamPolicy p, CallContext context) {
        return switch (p.identity()) {
            case FORWARD -> context.authorization();
            case NONE -> null;
            case CREDENTIALS -> credentials.authorization(name, context);
        };
    }

    private OutboundResponse fallback(Call call, Fallback fallback, OutboundResponse last, Throwable failure)
            throws Throwable {
        UpstreamException ue = failure instanceof UpstreamException u ? u : null;
        OutboundResponse answer = switch (fallback.kind()) {
            case Fallback.VALUE -> fallback.value();
            case Fallback.LAST_GOOD -> lastGood.get(cacheKey(call.request));
            default -> fallback.function().apply(new Fallback.Failure(call.request, last, ue));
        };
        if (answer == null) {
            if (failure != null) {
                throw failure;
            }
            return last;
        }
        telemetry.fallback(name, fallback.kind());
        events.publish(GatewayEvent.of(ResilienceEvents.FALLBACK, "upstream", name, "kind", fallback.kind(),
                "reason", ue != null ? ue.kind().name() : last == null ? null : Integer.toString(last.status())));
        return answer.asFallback(fallback.kind(), call.attempts);
    }

    private static String cacheKey(OutboundRequest r) {
        return r.method() + " " + r.pathAndQuery();
    }

    /**
     * Applies new settings and targets now. Calls in flight finish under the settings they started
     * with; kept targets keep their breaker, health and ejection state; removed targets are no
     * longer chosen.
     *
     * @throws IllegalArgumentException when the name differs or credentials are required but none were given
     */
    public synchronized void update(UpstreamPolicy next) {
        Objects.requireNonNull(next, "next");
        if (!next.name().equals(name)) {
            throw new IllegalArgumentException("upstream: " + next.name() + " (expected: " + name + ")");
        }
        checkCredentials(next);
        State old = state;
        if (old.policy.equals(next)) {
            return;
        }
        pool.update(next);
        HttpClient http = old.policy.timeouts().connect().equals(next.timeouts().connect()) ? old.http : http(next);
        boolean sameBulkhead = old.policy.bulkhead().equals(next.bulkhead());
        RetryBudget budget = old.policy.retry().budgetRatio() == next.retry().budgetRatio()
                && old.policy.retry().budgetMinPerSecond() == next.retry().budgetMinPerSecond()
                && old.policy.retry().budgetWindow().equals(next.retry().budgetWindow())
                ? old.budget : new RetryBudget(next.retry(), ticker);
        state = new State(next, http, sameBulkhead ? old.bulkhead : bulkhead(next),
                sameBulkhead ? old.waiting : new AtomicInteger(), budget);
        scheduleHealthChecks(next, old.policy);
        events.publish(GatewayEvent.of(ResilienceEvents.UPDATED, "upstream", name, "targets", next.targets().toString()));
        LOG.log(System.Logger.Level.INFO, "upstream " + name + " updated: " + next.targets() + ", " + next.loadBalancing());
    }

    /** A snapshot of every target: health, ejection, circuit, calls in flight. */
    public List<TargetStatus> targets() {
        return pool.status();
    }

    /** Runs one round of active health checks now, on the calling thread (also what the scheduler runs). */
    public void checkHealthNow() {
        State st = state;
        HealthCheckSettings hc = st.policy.healthCheck();
        if (!hc.enabled() || closed) {
            return;
        }
        List<TargetState> targets = pool.states();
        List<CompletableFuture<HttpResponse<Void>>> futures = new ArrayList<>();
        for (TargetState ts : targets) {
            URI uri = URI.create(st.policy.scheme() + "://" + ts.target().authority() + hc.path());
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(hc.timeout()).header("User-Agent", "aegis-health-check")
                    .GET().build();
            futures.add(st.http.sendAsync(req, HttpResponse.BodyHandlers.discarding()));
        }
        long until = System.nanoTime() + hc.timeout().toNanos();
        for (int i = 0; i < targets.size(); i++) {
            CompletableFuture<HttpResponse<Void>> f = futures.get(i);
            boolean passed;
            try {
                HttpResponse<Void> r = f.get(Math.max(1, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                passed = r.statusCode() >= 200 && r.statusCode() < 300;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                futures.forEach(x -> x.cancel(true));
                return;
            } catch (ExecutionException | TimeoutException e) {
                f.cancel(true);
                passed = false;
            }
            pool.recordCheck(targets.get(i), passed);
        }
    }

    private void scheduleHealthChecks(UpstreamPolicy next, UpstreamPolicy previous) {
        synchronized (healthLock) {
            if (previous != null && previous.healthCheck().equals(next.healthCheck())) {
                return;
            }
            if (healthTask != null) {
                healthTask.cancel(false);
                healthTask = null;
            }
            HealthCheckSettings hc = next.healthCheck();
            if (!hc.enabled() || closed) {
                return;
            }
            if (healthScheduler == null) {
                healthScheduler = Executors.newSingleThreadScheduledExecutor(daemon("aegis-upstream-" + name + "-health"));
            }
            long ms = hc.interval().toMillis();
            healthTask = healthScheduler.scheduleWithFixedDelay(() -> {
                try {
                    checkHealthNow();
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "health checks of " + name + " failed", e);
                }
            }, 0, ms, TimeUnit.MILLISECONDS);
        }
    }

    /** Stops health checks and the client's threads. Idempotent. */
    @Override
    public void close() {
        closed = true;
        synchronized (healthLock) {
            if (healthScheduler != null) {
                healthScheduler.shutdownNow();
            }
        }
        callExecutor.shutdownNow();
        httpExecutor.shutdownNow();
    }

    private void checkCredentials(UpstreamPolicy p) {
        if (p.identity() == IdentityPropagation.CREDENTIALS && credentials == null) {
            throw new IllegalArgumentException("upstream " + p.name()
                    + ": identity is credentials but no OutboundCredentials was given (expected: Builder.credentials(...))");
        }
    }

    private HttpClient http(UpstreamPolicy p) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(p.timeouts().connect())
                .followRedirects(HttpClient.Redirect.NEVER).executor(httpExecutor).build();
    }

    private static Bulkhead<Object> bulkhead(UpstreamPolicy p) {
        return Bulkhead.builder(p.bulkhead().maxConcurrent()).withMaxWaitTime(p.bulkhead().maxWait()).build();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "ServiceClient[" + name + ", " + state.policy.targets() + "]";
    }

    /** Collects a response body up to a limit; cancels the stream beyond it. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;

            TooLarge(long max) {
                super("response body larger than " + max + " bytes");
            }
        }

        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        private final long max;
        private java.util.concurrent.Flow.Subscription subscription;

        LimitedBody(long max) {
            this.max = max;
        }

        @Override
        public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
            this.subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (java.nio.ByteBuffer b : items) {
                if (out.size() + (long) b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(max));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public java.util.concurrent.CompletionStage<byte[]> getBody() {
            return result;
        }
    }

    /** The state of one call across its tries. Confined to the calling thread (Failsafe runs it synchronously). */
    private static final class Call {
        final CallContext context;
        final OutboundRequest request;
        final Deadline deadline;
        final State state;
        final Set<TargetState> tried = new LinkedHashSet<>(4);
        final List<Duration> delays = new ArrayList<>(2);
        int attempts;
        long nextDelayNanos;

        Call(CallContext context, OutboundRequest request, Deadline deadline, State state) {
            this.context = context;
            this.request = request;
            this.deadline = deadline;
            this.state = state;
        }
    }

    /** Turns pool observations into events and metrics. */
    private final class Listener implements PoolListener {
        @Override
        public void circuitChanged(Target target, CircuitState from, CircuitState to, String reason) {
            String type = switch (to) {
                case OPEN -> ResilienceEvents.CIRCUIT_OPENED;
                case HALF_OPEN -> ResilienceEvents.CIRCUIT_HALF_OPEN;
                case CLOSED -> ResilienceEvents.CIRCUIT_CLOSED;
            };
            telemetry.transition(name, target.authority(), to.name().toLowerCase(java.util.Locale.ROOT));
            events.publish(GatewayEvent.of(type, "upstream", name, "target", target.authority(), "from", from.name(),
                    "reason", reason));
            if (to == CircuitState.OPEN) {
                LOG.log(System.Logger.Level.WARNING, "circuit of " + name + " " + target.authority() + " opened: " + reason);
            }
        }

        @Override
        public void ejected(Target target, Duration duration, int ejections, String reason) {
            telemetry.ejection(name, target.authority());
            events.publish(GatewayEvent.of(ResilienceEvents.TARGET_EJECTED, "upstream", name, "target",
                    target.authority(), "duration_ms", duration.toMillis(), "ejections", ejections, "reason", reason));
            LOG.log(System.Logger.Level.WARNING, "ejected " + name + " " + target.authority() + " for " + duration
                    + " (" + reason + ")");
        }

        @Override
        public void returned(Target target) {
            events.publish(GatewayEvent.of(ResilienceEvents.TARGET_RETURNED, "upstream", name, "target", target.authority()));
        }

        @Override
        public void healthChanged(Target target, boolean healthy) {
            events.publish(GatewayEvent.of(healthy ? ResilienceEvents.TARGET_HEALTHY : ResilienceEvents.TARGET_UNHEALTHY,
                    "upstream", name, "target", target.authority()));
            LOG.log(healthy ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    name + " " + target.authority() + " is " + (healthy ? "healthy" : "unhealthy"));
        }
    }

    /** Builds a {@link ServiceClient}. Not thread-safe. */
    public static final class Builder {
        private final UpstreamPolicy policy;
        private GatewayEvents events = GatewayEvents.none();
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();
        private LongSupplier ticker = System::nanoTime;
        private Clock clock = Clock.systemUTC();
        private Random random = new Random();
        private OutboundCredentials credentials;
        private Fallback fallback;

        private Builder(UpstreamPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
        }

        /** Where events go (default: nowhere). */
        public Builder events(GatewayEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        /** Metrics and traces (default: {@link GlobalOpenTelemetry#getOrNoop()}). */
        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
            return this;
        }

        /**
         * The monotonic nano-time source of deadlines, breakers, budgets and ejections (default
         * {@code System::nanoTime}); tests pass a manual one.
         */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The wall clock, for {@code Retry-After} dates (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The randomness of jitter and load balancing (default a new {@link Random}). */
        public Builder random(Random random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** The credentials of {@link IdentityPropagation#CREDENTIALS} (default none). */
        public Builder credentials(OutboundCredentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /** The fallback of calls that have none of their own (default none). */
        public Builder fallback(Fallback fallback) {
            this.fallback = fallback;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the identity mode needs credentials that were not given
         */
        public ServiceClient build() {
            return new ServiceClient(this);
        }
    }
}
