package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.Candidate;
import io.aegis.gateway.llm.Capability;
import io.aegis.gateway.llm.CircuitState;
import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.MidStreamPolicy;
import io.aegis.gateway.llm.StreamEvent;
import io.aegis.gateway.llm.budget.BudgetExceededException;
import io.aegis.gateway.llm.budget.BudgetLimits;
import io.aegis.gateway.llm.budget.BudgetStore;
import io.aegis.gateway.llm.budget.Money;
import io.aegis.gateway.llm.budget.Reservation;
import io.aegis.gateway.llm.cache.CacheKey;
import io.aegis.gateway.llm.cache.ResponseCache;
import io.aegis.gateway.llm.cost.ModelPrice;
import io.aegis.gateway.llm.spi.LlmProvider;
import io.aegis.gateway.llm.validation.ResponseValidator;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.opentelemetry.api.trace.Span;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The router behind {@code LlmClient}: resolves a request to candidates, then tries them in order
 * with retries (honouring provider hints), per-candidate circuit breakers, parked credentials,
 * budget reservations, validation, caching and telemetry; streams follow the mid-stream contract
 * ({@link StreamCall}). Thread-safe.
 */
public final class Router {

    private static final System.Logger LOG = System.getLogger(Router.class.getName());

    /** A provider with what routing needs to know about it. */
    public record Entry(LlmProvider provider, Capability capability, long contextWindow,
                        Function<String, ModelPrice> prices) {
    }

    /** The settings of retries, breakers and parking. */
    public record Resilience(int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxWait,
                             int failureThreshold, Duration cooldown, Duration quotaPark, Duration credentialPark) {
    }

    /**
     * Hedging of non-streamed calls: a second candidate is started when the first has not answered
     * after {@code after}, or — adaptive — after the first candidate's observed p95 latency.
     *
     * @param after the fixed threshold, or {@code null}
     * @param adaptive use the observed p95 (no hedge until enough calls were seen)
     */
    public record Hedging(Duration after, boolean adaptive) {
        public static Hedging off() {
            return new Hedging(null, false);
        }

        boolean enabled() {
            return after != null || adaptive;
        }
    }

    /** A resolved candidate. */
    record Target(Entry entry, String model, ModelPrice price, Breaker breaker) {
        LlmProvider provider() {
            return entry.provider();
        }

        String label() {
            return entry.provider().name() + "/" + model;
        }
    }

    private final Map<String, Entry> entries;
    private final List<Candidate> defaultRoute;
    private final Map<String, Capability> typeFloors;
    private final Map<String, List<Candidate>> typeRoutes;
    private final MidStreamPolicy midStream;
    private final Resilience resilience;
    private final BudgetStore budgets;
    private final BudgetLimits defaultLimits;
    private final Map<String, BudgetLimits> keyLimits;
    private final boolean budgetFailOpen;
    private final ResponseCache cache;
    private final Duration cacheTtl;
    private final boolean cacheNonDeterministic;
    private final List<ResponseValidator> validators;
    private final LlmTelemetry telemetry;
    private final GatewayEvents events;
    private final Clock clock;
    private final LongSupplier nanoTime;
    final ScheduledExecutorService scheduler;
    private final Map<String, Breaker> breakers = new ConcurrentHashMap<>();
    private final Map<String, LatencyWindow> latencies = new ConcurrentHashMap<>();
    private volatile Hedging hedging = Hedging.off();
    private volatile io.aegis.gateway.llm.cache.SemanticCache semantic;
    private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();

    public Router(Map<String, Entry> entries, List<Candidate> defaultRoute, Map<String, Capability> typeFloors,
                  Map<String, List<Candidate>> typeRoutes, MidStreamPolicy midStream, Resilience resilience,
                  BudgetStore budgets, BudgetLimits defaultLimits, Map<String, BudgetLimits> keyLimits,
                  boolean budgetFailOpen, ResponseCache cache, Duration cacheTtl, boolean cacheNonDeterministic,
                  List<ResponseValidator> validators, LlmTelemetry telemetry, GatewayEvents events, Clock clock,
                  LongSupplier nanoTime, ScheduledExecutorService scheduler) {
        this.entries = new LinkedHashMap<>(entries);
        this.defaultRoute = List.copyOf(defaultRoute);
        this.typeFloors = Map.copyOf(typeFloors);
        this.typeRoutes = Map.copyOf(typeRoutes);
        this.midStream = midStream;
        this.resilience = resilience;
        this.budgets = budgets;
        this.defaultLimits = defaultLimits;
        this.keyLimits = Map.copyOf(keyLimits);
        this.budgetFailOpen = budgetFailOpen;
        this.cache = cache;
        this.cacheTtl = cacheTtl;
        this.cacheNonDeterministic = cacheNonDeterministic;
        this.validators = List.copyOf(validators);
        this.telemetry = telemetry;
        this.events = events;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.scheduler = scheduler;
    }

    /** Turns the opt-in semantic cache on. */
    public void semanticCache(io.aegis.gateway.llm.cache.SemanticCache cache) {
        this.semantic = cache;
    }

    private static List<String> labels(List<Target> targets) {
        List<String> route = new ArrayList<>();
        targets.forEach(t -> route.add(t.label()));
        return route;
    }

    /** An earlier answer from the exact or (for tenants that opted in) the semantic cache. */
    private Optional<LlmResponse> cached(LlmRequest request, List<Target> targets, String key) {
        Optional<LlmResponse> hit = cache == null ? Optional.empty() : cache.get(key);
        if (hit.isEmpty() && semantic != null) {
            hit = semantic.get(request, labels(targets));
        }
        return hit;
    }

    /** Turns hedging of non-streamed calls on. */
    public void hedging(Hedging h) {
        this.hedging = Objects.requireNonNull(h, "hedging");
    }

    // ---------------------------------------------------------------- routing

    /**
     * The candidates of a request, in the order they will be tried: the request type's route (or the
     * default route); for a typed request, only candidates at or above the type's capability floor,
     * cheapest worst case first; candidates whose context window cannot hold the request left out.
     *
     * @throws LlmException {@code CONTEXT_TOO_LONG} when no candidate's window can hold it,
     *         {@code UNAVAILABLE} when no candidate meets the type's floor
     */
    public List<Candidate> route(LlmRequest request) {
        List<Candidate> out = new ArrayList<>();
        for (Target t : targets(request)) {
            out.add(new Candidate(t.entry().provider().name(), t.model()));
        }
        return out;
    }

    List<Target> targets(LlmRequest request) {
        String type = request.requestType();
        List<Candidate> route = type != null && typeRoutes.containsKey(type) ? typeRoutes.get(type) : defaultRoute;
        List<Target> targets = new ArrayList<>();
        for (Candidate c : route) {
            Entry e = entries.get(c.provider());
            if (e == null) {
                continue;
            }
            String model = c.model() != null ? c.model() : e.provider().defaultModel();
            targets.add(new Target(e, model, e.prices().apply(model), breaker(e.provider(), model)));
        }
        long input = TokenEstimator.estimateInput(request);
        long output = request.maxTokensOrDefault();
        Capability floor = type == null ? null : typeFloors.get(type);
        if (floor != null) {
            List<Target> fit = new ArrayList<>();
            for (Target t : targets) {
                if (t.entry().capability().meets(floor)) {
                    fit.add(t);
                }
            }
            if (fit.isEmpty()) {
                throw new LlmException(LlmErrorKind.UNAVAILABLE, "request type '" + type + "' needs capability "
                        + floor + " but no candidate of its route " + route + " has it");
            }
            // Cheapest worst case first; unknown prices last; equal prices keep the route's order.
            fit.sort(Comparator.comparing((Target t) -> t.price() == null ? null : t.price().worstCase(input, output),
                    Comparator.nullsLast(Comparator.naturalOrder())));
            targets = fit;
        }
        long needed = input + (request.maxTokens() == null ? 0 : request.maxTokens());
        List<Target> windowed = new ArrayList<>();
        long largest = 0;
        for (Target t : targets) {
            long window = t.entry().contextWindow() > 0 ? t.entry().contextWindow()
                    : t.price() != null ? t.price().maxInputTokens() : 0;
            largest = Math.max(largest, window);
            if (window <= 0 || needed <= window) {
                windowed.add(t);
            }
        }
        if (windowed.isEmpty() && !targets.isEmpty()) {
            throw new LlmException(LlmErrorKind.CONTEXT_TOO_LONG, "the request needs about " + needed
                    + " tokens (estimated prompt plus maxTokens) but the largest context window of its candidates is "
                    + largest);
        }
        if (windowed.isEmpty()) {
            throw new LlmException(LlmErrorKind.UNAVAILABLE, "no provider of route " + route + " is configured");
        }
        return windowed;
    }

    Breaker breaker(LlmProvider p, String model) {
        String id = p.name() + "/" + model + "#" + p.credentialId();
        return breakers.computeIfAbsent(id, k -> new Breaker(k, resilience.failureThreshold(),
                resilience.cooldown().toNanos(), nanoTime, this::breakerChanged));
    }

    private void breakerChanged(Breaker b, CircuitState from, CircuitState to, String reason) {
        LOG.log(to == CircuitState.OPEN ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
                "LLM circuit " + b.id() + ": " + from + " -> " + to + " (" + reason + ")");
        events.publish(GatewayEvent.of(to == CircuitState.OPEN ? "llm.circuit.opened" : to == CircuitState.CLOSED
                ? "llm.circuit.closed" : "llm.circuit.half_open", "candidate", b.id(), "reason", reason));
    }

    /** The state of a candidate's circuit. */
    public CircuitState circuit(String provider, String model) {
        Entry e = entries.get(provider);
        if (e == null) {
            throw new IllegalArgumentException("provider: '" + provider + "' (expected: one of " + entries.keySet() + ")");
        }
        return breaker(e.provider(), model == null ? e.provider().defaultModel() : model).state();
    }

    // ---------------------------------------------------------------- shared steps

    private boolean cacheable(LlmRequest r) {
        if (cache == null && (semantic == null || !semantic.applies(r))) {
            return false;
        }
        if (r.cacheable() != null) {
            return r.cacheable();
        }
        return r.deterministic() || cacheNonDeterministic;
    }

    private String cacheKey(LlmRequest r, List<Target> targets) {
        return CacheKey.of(r, labels(targets));
    }

    /** Holds the worst case of a call on the request's budget; {@code null} when no budget applies. */
    private Reservation reserve(LlmRequest r, Target t) {
        String key = r.budgetKey();
        if (budgets == null || key == null) {
            return null;
        }
        BudgetLimits limits = keyLimits.getOrDefault(key, defaultLimits);
        if (limits.unlimited()) {
            return null;
        }
        long worst = 0;
        if (t.price() != null) {
            worst = Money.toNanos(t.price().worstCase(TokenEstimator.estimateInput(r), r.maxTokensOrDefault()));
        } else if (unpricedWarned.add(t.label())) {
            LOG.log(System.Logger.Level.WARNING, "LLM model " + t.label() + " has no price: its calls are not counted"
                    + " against budgets (add it with aegis.llm.prices.file or a provider price)");
        }
        try {
            return budgets.reserve(key, worst, limits, clock.instant());
        } catch (BudgetExceededException e) {
            telemetry.budgetRejected();
            events.publish(GatewayEvent.of("llm.budget.exceeded", "key", key, "window", e.window(),
                    "candidate", t.label()));
            throw e;
        } catch (LlmException e) {
            if (budgetFailOpen) {
                LOG.log(System.Logger.Level.WARNING, "budget store unavailable, failing open: " + e.getMessage());
                return null;
            }
            throw e;
        }
    }

    private void settle(Reservation res, BigDecimal cost) {
        if (res == null || budgets == null) {
            return;
        }
        try {
            budgets.settle(res, cost == null ? 0 : Money.toNanos(cost));
        } catch (LlmException e) {
            LOG.log(System.Logger.Level.WARNING, "budget settle failed for " + res.key() + ": " + e.getMessage());
        }
    }

    /** Breaker bookkeeping and parking after a failure. */
    private void recordFailure(Target t, LlmException e) {
        t.breaker().onFailure(e.kind().countsAgainstHealth(), t.label() + ": " + e.kind());
        Duration park = switch (e.kind()) {
            case QUOTA_EXHAUSTED -> e.resetAt() != null
                    ? positive(Duration.between(clock.instant(), e.resetAt()))
                    : e.retryAfter() != null ? e.retryAfter() : resilience.quotaPark();
            case AUTHENTICATION, MODEL_NOT_FOUND -> resilience.credentialPark();
            case RATE_LIMITED -> e.retryAfter() != null && e.retryAfter().compareTo(resilience.maxWait()) > 0
                    ? e.retryAfter() : null;
            default -> null;
        };
        if (park != null) {
            t.breaker().park(park.toNanos(), t.label() + " parked for " + park + " (" + e.kind() + ")");
            events.publish(GatewayEvent.of("llm.credential.parked", "candidate", t.breaker().id(), "kind", e.kind().name(),
                    "seconds", park.toSeconds()));
        }
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** Whether to try the same candidate again, and after how long ({@code null}: do not). */
    private Duration retryDelay(LlmException e, int attempt) {
        if (!e.kind().retryable() || attempt >= resilience.maxAttempts()) {
            return null;
        }
        if (e.retryAfter() != null) {
            return e.retryAfter().compareTo(resilience.maxWait()) <= 0 ? e.retryAfter() : null;
        }
        long base = resilience.backoff().toNanos() << Math.min(20, attempt - 1);
        long cap = Math.min(base, resilience.maxBackoff().toNanos());
        // Full jitter: spreads retries of many callers hit by the same outage.
        return Duration.ofNanos(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
    }

    private Optional<String> validate(LlmRequest r, LlmResponse resp, Target t) {
        for (ResponseValidator v : validators) {
            Optional<String> why = v.validate(r, resp);
            if (why.isPresent()) {
                telemetry.validationFailure(v.name(), t.provider().name(), t.model());
                events.publish(GatewayEvent.of("llm.validation.failed", "validator", v.name(), "candidate", t.label(),
                        "reason", why.get()));
                return Optional.of(v.name() + ": " + why.get());
            }
        }
        return Optional.empty();
    }

    private LlmException validationFailure(Target t, String why) {
        return new LlmException(LlmErrorKind.VALIDATION_FAILED, t.label() + ": answer refused by validator " + why,
                t.provider().name(), t.model(), 0, null, null, null, null);
    }

    private void failedOver(Target t, LlmException e) {
        telemetry.failover(t.provider().name(), t.model(), e);
        events.publish(GatewayEvent.of("llm.failover", "from", t.label(), "kind", e.kind().name()));
    }

    /** The error of a call whose every candidate failed or was skipped. */
    private static LlmException exhausted(List<LlmException> failures, long reopenNanos) {
        if (failures.isEmpty()) {
            return new LlmException(LlmErrorKind.UNAVAILABLE, "no candidate to try");
        }
        LlmException last = failures.get(failures.size() - 1);
        boolean same = failures.stream().allMatch(f -> f.kind() == last.kind());
        LlmException out;
        if (same && last.kind() != LlmErrorKind.UNAVAILABLE) {
            out = last;
        } else {
            StringBuilder why = new StringBuilder();
            for (LlmException f : failures) {
                why.append(why.length() == 0 ? "" : "; ").append(f.provider() == null ? "" : f.provider() + "/" + f.model() + " ")
                        .append(f.kind());
            }
            Duration retry = reopenNanos > 0 ? Duration.ofNanos(reopenNanos) : null;
            out = new LlmException(LlmErrorKind.UNAVAILABLE, "every candidate failed or is unavailable: " + why,
                    null, null, 0, null, retry, null, last);
        }
        for (LlmException f : failures) {
            if (f != out && f != out.getCause()) {
                out.addSuppressed(f);
            }
        }
        return out;
    }

    private LlmException circuitOpen(Target t) {
        long nanos = t.breaker().remainingNanos();
        return new LlmException(LlmErrorKind.UNAVAILABLE, t.label() + ": circuit open for another "
                + Duration.ofNanos(nanos).toMillis() + "ms", t.provider().name(), t.model(), 0, "circuit_open",
                Duration.ofNanos(nanos), null, null);
    }

    private LlmResponse cacheHit(LlmResponse cached, long start) {
        telemetry.cacheHit();
        return cached.toBuilder().cacheHit(true).cost(BigDecimal.ZERO).attempts(0)
                .latency(Duration.ofNanos(nanoTime.getAsLong() - start)).build();
    }

    // ---------------------------------------------------------------- complete

    /** One non-streamed call through the route. */
    public CompletableFuture<LlmResponse> complete(LlmRequest request) {
        Objects.requireNonNull(request, "request");
        long start = nanoTime.getAsLong();
        List<Target> targets;
        try {
            targets = targets(request);
        } catch (LlmException e) {
            return CompletableFuture.failedFuture(e);
        }
        String key = null;
        if (cacheable(request)) {
            key = cacheKey(request, targets);
            Optional<LlmResponse> hit = cached(request, targets, key);
            if (hit.isPresent()) {
                return CompletableFuture.completedFuture(cacheHit(hit.get(), start));
            }
            telemetry.cacheMiss();
        }
        CompleteCall call = new CompleteCall(request, targets, key, start);
        call.next();
        Duration threshold = hedgeThreshold(targets.get(0), false);
        if (threshold == null || targets.size() < 2) {
            return call.result;
        }
        return new Hedge(call, request, targets, key, start, threshold).result;
    }

    /** The hedging threshold: fixed, or the observed p95 of the answer time (calls) or first-token time (streams). */
    private Duration hedgeThreshold(Target first, boolean stream) {
        if (!hedging.enabled()) {
            return null;
        }
        if (hedging.adaptive()) {
            long p95 = latencies.computeIfAbsent(latencyKey(first, stream), k -> new LatencyWindow()).percentile(0.95);
            if (p95 >= 0) {
                return Duration.ofNanos(p95);
            }
        }
        return hedging.after();
    }

    /**
     * A primary call and, once the threshold passes with the first candidate still working on it, a
     * second call on the remaining candidates. The first success wins and the other is cancelled;
     * both are accounted for (the loser is settled with what it cost or, when cancelled in flight,
     * with its estimated prompt).
     */
    private final class Hedge {
        final CompletableFuture<LlmResponse> result = new CompletableFuture<>();
        final CompleteCall primary;
        CompleteCall second;
        boolean primaryFailed;
        boolean secondFailed;
        LlmException primaryError;

        Hedge(CompleteCall primary, LlmRequest request, List<Target> targets, String key, long start, Duration after) {
            this.primary = primary;
            var timer = scheduler.schedule(() -> {
                synchronized (this) {
                    if (result.isDone() || primary.result.isDone() || !primary.onFirstCandidate()) {
                        return;
                    }
                    second = new CompleteCall(request, targets.subList(1, targets.size()), key, start);
                    telemetry.hedge(targets.get(0).label());
                    events.publish(GatewayEvent.of("llm.hedge.started", "slow", targets.get(0).label(),
                            "after_ms", after.toMillis()));
                }
                second.result.whenComplete((r, e) -> settled(false, r, e));
                second.next();
            }, after.toNanos(), TimeUnit.NANOSECONDS);
            primary.result.whenComplete((r, e) -> {
                timer.cancel(false);
                settled(true, r, e);
            });
            result.whenComplete((r, e) -> {
                if (result.isCancelled()) {
                    primary.result.cancel(true);
                    CompleteCall s;
                    synchronized (this) {
                        s = second;
                    }
                    if (s != null) {
                        s.result.cancel(true);
                    }
                }
            });
        }

        private void settled(boolean isPrimary, LlmResponse r, Throwable e) {
            CompleteCall other;
            synchronized (this) {
                other = isPrimary ? second : primary;
                if (e != null) {
                    if (isPrimary) {
                        primaryFailed = true;
                        primaryError = Errors.unwrap(e) instanceof LlmException le ? le : null;
                    } else {
                        secondFailed = true;
                    }
                    boolean otherRunning = isPrimary ? second != null && !secondFailed : !primaryFailed;
                    if (otherRunning) {
                        return;
                    }
                }
            }
            if (e == null) {
                if (result.complete(r.toBuilder().attempts(r.attempts() + (other == null ? 0 : 1)).build())
                        && other != null) {
                    other.result.cancel(true);
                }
                return;
            }
            result.completeExceptionally(primaryError != null ? primaryError : Errors.unwrap(e));
        }
    }

    private final class CompleteCall {
        final LlmRequest request;
        final List<Target> targets;
        final String cacheKey;
        final long start;
        final CompletableFuture<LlmResponse> result = new CompletableFuture<>();
        final List<LlmException> failures = new ArrayList<>();
        volatile CompletableFuture<LlmResponse> current;
        int index;
        int attempt;
        int attempts;
        long reopenNanos = Long.MAX_VALUE;

        CompleteCall(LlmRequest request, List<Target> targets, String cacheKey, long start) {
            this.request = request;
            this.targets = targets;
            this.cacheKey = cacheKey;
            this.start = start;
            result.whenComplete((r, e) -> {
                CompletableFuture<LlmResponse> c = current;
                if (result.isCancelled() && c != null) {
                    c.cancel(true);
                }
            });
        }

        synchronized void next() {
            while (index < targets.size() && !result.isDone()) {
                Target t = targets.get(index);
                Reservation res;
                try {
                    res = reserve(request, t);
                } catch (BudgetExceededException e) {
                    failures.add(e);
                    moveOn();
                    continue;
                } catch (LlmException e) {
                    result.completeExceptionally(e);
                    return;
                }
                if (!t.breaker().tryAcquire()) {
                    settle(res, BigDecimal.ZERO);
                    reopenNanos = Math.min(reopenNanos, t.breaker().remainingNanos());
                    failures.add(circuitOpen(t));
                    moveOn();
                    continue;
                }
                attempt++;
                attempts++;
                launch(t, res);
                return;
            }
            if (!result.isDone()) {
                result.completeExceptionally(exhausted(failures, reopenNanos == Long.MAX_VALUE ? 0 : reopenNanos));
            }
        }

        private void moveOn() {
            index++;
            attempt = 0;
        }

        synchronized boolean onFirstCandidate() {
            return index == 0;
        }

        private void launch(Target t, Reservation res) {
            Span span = telemetry.startAttempt(t.provider().genAiProviderName(), t.provider().name(), t.model(), false);
            long t0 = nanoTime.getAsLong();
            CompletableFuture<LlmResponse> f;
            try {
                f = t.provider().complete(request, t.model());
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            current = f;
            f.whenComplete((r, ex) -> {
                double seconds = (nanoTime.getAsLong() - t0) / 1e9;
                if (ex == null) {
                    succeeded(t, res, r, span, seconds);
                } else {
                    Throwable c = Errors.unwrap(ex);
                    LlmException e = c instanceof LlmException le ? le : Errors.transport(c, t.provider().name(), t.model());
                    failed(t, res, e, span, seconds);
                }
            });
        }

        private void succeeded(Target t, Reservation res, LlmResponse r, Span span, double seconds) {
            t.breaker().onSuccess();
            recordLatency(t, false, (long) (seconds * 1e9));
            BigDecimal cost = t.price() == null ? null : t.price().cost(r.usage());
            settle(res, cost);
            telemetry.success(span, t.provider().genAiProviderName(), t.provider().name(), t.model(), r.model(),
                    r.usage(), seconds, cost);
            LlmResponse out = r.toBuilder().cost(cost).attempts(attempts)
                    .latency(Duration.ofNanos(nanoTime.getAsLong() - start)).build();
            Optional<String> bad = validate(request, out, t);
            if (bad.isPresent()) {
                LlmException e = validationFailure(t, bad.get());
                synchronized (this) {
                    failures.add(e);
                    failedOver(t, e);
                    moveOn();
                }
                next();
                return;
            }
            cachePut(cacheKey, request, targets, out);
            result.complete(out);
        }

        private void failed(Target t, Reservation res, LlmException e, Span span, double seconds) {
            // A request cancelled in flight was sent: the provider bills its prompt (estimated here).
            settle(res, e.kind() == LlmErrorKind.CANCELLED && t.price() != null
                    ? t.price().cost(io.aegis.gateway.llm.Usage.estimated(TokenEstimator.estimateInput(request), 0))
                    : BigDecimal.ZERO);
            telemetry.failure(span, t.provider().genAiProviderName(), t.provider().name(), t.model(), e, seconds);
            if (e.kind() == LlmErrorKind.CANCELLED || result.isDone()) {
                t.breaker().release();
                result.completeExceptionally(e);
                return;
            }
            recordFailure(t, e);
            Duration delay;
            synchronized (this) {
                failures.add(e);
                delay = retryDelay(e, attempt);
            }
            if (delay != null) {
                scheduler.schedule(this::next, delay.toNanos(), TimeUnit.NANOSECONDS);
                return;
            }
            if (!e.kind().failover()) {
                LlmException out = e;
                synchronized (this) {
                    failures.stream().filter(f -> f != e).forEach(out::addSuppressed);
                }
                result.completeExceptionally(out);
                return;
            }
            synchronized (this) {
                failedOver(t, e);
                moveOn();
            }
            next();
        }
    }

    // ---------------------------------------------------------------- stream

    /** One streamed call through the route, under the mid-stream contract. */
    public Flow.Publisher<StreamEvent> stream(LlmRequest request) {
        Objects.requireNonNull(request, "request");
        return subscriber -> {
            Emitter<StreamEvent> emitter = new Emitter<>(subscriber);
            long start = nanoTime.getAsLong();
            List<Target> targets;
            try {
                targets = targets(request);
            } catch (LlmException e) {
                emitter.start(StreamCall.NOTHING);
                failStream(emitter, e);
                return;
            }
            String key = null;
            if (cacheable(request)) {
                key = cacheKey(request, targets);
                Optional<LlmResponse> hit = cached(request, targets, key);
                if (hit.isPresent()) {
                    LlmResponse r = cacheHit(hit.get(), start);
                    emitter.start(StreamCall.NOTHING);
                    if (!r.content().isEmpty()) {
                        emitter.offer(new StreamEvent.Delta(r.content()));
                    }
                    for (int i = 0; i < r.toolCalls().size(); i++) {
                        var c = r.toolCalls().get(i);
                        emitter.offer(new StreamEvent.ToolCallDelta(i, c.id(), c.name(), c.arguments()));
                    }
                    emitter.offer(new StreamEvent.UsageReport(r.usage()));
                    emitter.offer(new StreamEvent.Done(r));
                    emitter.complete();
                    return;
                }
                telemetry.cacheMiss();
            }
            MidStreamPolicy policy = request.midStream() != null ? request.midStream() : midStream;
            Duration threshold = targets.size() < 2 ? null : hedgeThreshold(targets.get(0), true);
            if (threshold != null) {
                new HedgedStream(this, emitter, (sub, list) -> {
                    Emitter<StreamEvent> legEmitter = new Emitter<>(sub);
                    StreamCall leg = new StreamCall(this, request, list, cacheKeyOf(request, targets), start, legEmitter, policy);
                    legEmitter.start(leg);
                    leg.next();
                    return leg;
                }, targets, threshold).start();
                return;
            }
            StreamCall call = new StreamCall(this, request, targets, key, start, emitter, policy);
            emitter.start(call);
            call.next();
        };
    }

    private String cacheKeyOf(LlmRequest request, List<Target> targets) {
        return cacheable(request) ? cacheKey(request, targets) : null;
    }

    void hedgeStarted(Target slow, Duration after) {
        telemetry.hedge(slow.label());
        events.publish(GatewayEvent.of("llm.hedge.started", "slow", slow.label(), "after_ms", after.toMillis()));
    }

    /** A successful attempt's latency: time to the answer of a call, or to the first token of a stream. */
    void recordLatency(Target t, boolean stream, long nanos) {
        latencies.computeIfAbsent(latencyKey(t, stream), k -> new LatencyWindow()).record(nanos);
    }

    private static String latencyKey(Target t, boolean stream) {
        return (stream ? "ttft|" : "call|") + t.breaker().id();
    }

    static void failStream(Emitter<StreamEvent> emitter, LlmException e) {
        emitter.offer(new StreamEvent.Failed(e));
        emitter.fail(e);
    }

    // Hooks used by StreamCall (same package).

    Reservation reserveFor(LlmRequest r, Target t) {
        return reserve(r, t);
    }

    void settleFor(Reservation res, BigDecimal cost) {
        settle(res, cost);
    }

    void failureFor(Target t, LlmException e) {
        recordFailure(t, e);
    }

    Duration retryDelayFor(LlmException e, int attempt) {
        return retryDelay(e, attempt);
    }

    Optional<String> validateFor(LlmRequest r, LlmResponse resp, Target t) {
        return validate(r, resp, t);
    }

    LlmException validationFailureFor(Target t, String why) {
        return validationFailure(t, why);
    }

    void failedOverFor(Target t, LlmException e) {
        failedOver(t, e);
    }

    LlmException exhaustedFor(List<LlmException> failures, long reopenNanos) {
        return exhausted(failures, reopenNanos);
    }

    LlmException circuitOpenFor(Target t) {
        return circuitOpen(t);
    }

    void cachePut(String key, LlmRequest request, List<Target> targets, LlmResponse r) {
        if (key == null) {
            return;
        }
        if (cache != null) {
            cache.put(key, r, cacheTtl);
        }
        if (semantic != null) {
            semantic.put(request, labels(targets), r, cacheTtl);
        }
    }

    LlmTelemetry telemetry() {
        return telemetry;
    }

    LongSupplier nanoTime() {
        return nanoTime;
    }

    /** Closes every provider. */
    public void close() {
        for (Entry e : entries.values()) {
            try {
                e.provider().close();
            } catch (RuntimeException ex) {
                LOG.log(System.Logger.Level.WARNING, "closing LLM provider " + e.provider().name() + " failed", ex);
            }
        }
    }

    @Override
    public String toString() {
        return "Router[providers " + entries.keySet() + ", route " + defaultRoute + ", types "
                + typeFloors.keySet().stream().map(s -> s.toLowerCase(Locale.ROOT)).toList() + "]";
    }
}
