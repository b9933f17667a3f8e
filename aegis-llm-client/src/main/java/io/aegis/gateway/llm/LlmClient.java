package io.aegis.gateway.llm;

import io.aegis.gateway.llm.budget.BudgetLimits;
import io.aegis.gateway.llm.budget.BudgetStore;
import io.aegis.gateway.llm.budget.InMemoryBudgetStore;
import io.aegis.gateway.llm.cache.LocalResponseCache;
import io.aegis.gateway.llm.cache.ResponseCache;
import io.aegis.gateway.llm.cost.ModelPrice;
import io.aegis.gateway.llm.cost.PriceTable;
import io.aegis.gateway.llm.internal.Errors;
import io.aegis.gateway.llm.internal.LlmTelemetry;
import io.aegis.gateway.llm.internal.Router;
import io.aegis.gateway.llm.spi.LlmProvider;
import io.aegis.gateway.llm.validation.ResponseValidator;
import io.aegis.gateway.llm.validation.Validators;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One API over several LLM providers: routes each request to its candidates in priority order
 * with retries that honour provider hints, automatic failover, a circuit breaker per provider +
 * model + credential, budgets reserved before the call and settled after, quality validators,
 * an exact-match cache and OpenTelemetry GenAI telemetry. See {@code docs/llm.md}.
 *
 * <p>Defaults ({@link Builder}): the default route is every provider in the order added; request
 * types {@code classification} and {@code chat} need {@link Capability#BASIC}, {@code extraction}
 * {@link Capability#STANDARD}, {@code reasoning} {@link Capability#ADVANCED}; mid-stream failures
 * fail ({@link MidStreamPolicy#fail()}); 2 attempts per candidate, backoff 200ms doubling to 2s with
 * full jitter, provider hints up to 10s waited for (longer ones park the candidate and fail over);
 * circuits open after 5 consecutive failures for 30s; quota-exhausted credentials parked until their
 * reset (1h when unknown), rejected credentials and missing models for 5m; no budgets; an in-memory
 * cache of 10,000 answers for 10 minutes, deterministic requests only; no hedging; validators
 * {@link Validators#nonEmpty()} and {@link Validators#jsonAsRequested()}; the shipped price table.
 *
 * <p>Thread-safe. Close it to release its timer thread, its budget store and response cache (Redis
 * connections) and its providers.
 */
@UnstableApi
public final class LlmClient implements AutoCloseable {

    private final Router router;
    private final ScheduledExecutorService ownedScheduler;
    private final BudgetStore budgets;
    private final ResponseCache cache;
    private final Map<String, Router.Entry> entries;

    private LlmClient(Router router, ScheduledExecutorService ownedScheduler, BudgetStore budgets, ResponseCache cache,
                      Map<String, Router.Entry> entries) {
        this.router = router;
        this.ownedScheduler = ownedScheduler;
        this.budgets = budgets;
        this.cache = cache;
        this.entries = entries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * One call, waiting for the answer.
     *
     * @throws LlmException classified by {@link LlmErrorKind}; earlier attempts' failures are suppressed in it
     */
    public LlmResponse complete(LlmRequest request) {
        try {
            return completeAsync(request).join();
        } catch (CancellationException e) {
            throw new LlmException(LlmErrorKind.CANCELLED, "call cancelled", e);
        } catch (RuntimeException e) {
            Throwable c = Errors.unwrap(e);
            if (c instanceof LlmException le) {
                throw le;
            }
            throw new LlmException(LlmErrorKind.SERVER_ERROR, "call failed: " + c, c);
        }
    }

    /** One call; the future fails with an {@link LlmException}. Cancelling it cancels the HTTP call. */
    public CompletableFuture<LlmResponse> completeAsync(LlmRequest request) {
        return router.complete(request);
    }

    /**
     * One streamed call (cold: each subscription is a call). Events follow {@link StreamEvent}'s
     * contract; mid-stream failures follow the request's (or the client's) {@link MidStreamPolicy}.
     */
    public Flow.Publisher<StreamEvent> stream(LlmRequest request) {
        return router.stream(request);
    }

    /**
     * The candidates a request would be tried on, in order.
     *
     * @throws LlmException when none fits (context window, capability floor)
     */
    public List<Candidate> route(LlmRequest request) {
        return router.route(request);
    }

    /** The circuit state of a candidate ({@code model} {@code null}: the provider's model). */
    public CircuitState circuit(String provider, String model) {
        return router.circuit(provider, model);
    }

    /** The price the client uses for a provider's model, if it knows one. */
    public Optional<ModelPrice> price(String provider, String model) {
        Router.Entry e = entries.get(provider);
        if (e == null) {
            throw new IllegalArgumentException("provider: '" + provider + "' (expected: one of " + entries.keySet() + ")");
        }
        return Optional.ofNullable(e.prices().apply(model == null ? e.provider().defaultModel() : model));
    }

    /** The configured provider names, in order. */
    public List<String> providers() {
        return List.copyOf(entries.keySet());
    }

    @Override
    public void close() {
        router.close();
        if (budgets != null) {
            budgets.close();
        }
        if (cache != null) {
            cache.close();
        }
        if (ownedScheduler != null) {
            ownedScheduler.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "LlmClient[" + router + "]";
    }

    /** Builds an {@link LlmClient}. Not thread-safe. */
    public static final class Builder {
        private final List<ProviderSettings> settings = new ArrayList<>();
        private final Map<String, Object[]> custom = new LinkedHashMap<>();
        private final List<String> order = new ArrayList<>();
        private List<Candidate> route;
        private final Map<String, Capability> typeFloors = new LinkedHashMap<>(Map.of(
                "classification", Capability.BASIC, "chat", Capability.BASIC,
                "extraction", Capability.STANDARD, "reasoning", Capability.ADVANCED));
        private final Map<String, List<Candidate>> typeRoutes = new LinkedHashMap<>();
        private MidStreamPolicy midStream = MidStreamPolicy.fail();
        private int maxAttempts = 2;
        private Duration backoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(2);
        private Duration maxWait = Duration.ofSeconds(10);
        private int failureThreshold = 5;
        private Duration cooldown = Duration.ofSeconds(30);
        private Duration quotaPark = Duration.ofHours(1);
        private Duration credentialPark = Duration.ofMinutes(5);
        private BudgetStore budgets;
        private BudgetLimits defaultLimits = BudgetLimits.none();
        private final Map<String, BudgetLimits> keyLimits = new LinkedHashMap<>();
        private boolean budgetFailOpen;
        private Duration hedgeAfter;
        private io.aegis.gateway.llm.cache.SemanticCache semantic;
        private boolean hedgeAdaptive;
        private ResponseCache cache;
        private boolean cacheSet;
        private Duration cacheTtl = Duration.ofMinutes(10);
        private boolean cacheNonDeterministic;
        private List<ResponseValidator> validators = new ArrayList<>(List.of(Validators.nonEmpty(),
                Validators.jsonAsRequested()));
        private PriceTable prices;
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private ScheduledExecutorService scheduler;
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();
        private GatewayEvents events = GatewayEvents.none();

        private Builder() {
        }

        private void name(String name) {
            if (order.contains(name)) {
                throw new IllegalArgumentException("provider: '" + name + "' added twice (expected: unique names)");
            }
            order.add(name);
        }

        /** A built-in provider. @throws IllegalArgumentException when the name is taken */
        public Builder provider(ProviderSettings s) {
            Objects.requireNonNull(s, "settings");
            name(s.name());
            settings.add(s);
            return this;
        }

        /** A provider of your own (SPI). */
        public Builder provider(LlmProvider provider, Capability capability, int contextWindow) {
            Objects.requireNonNull(provider, "provider");
            name(provider.name());
            custom.put(provider.name(), new Object[] {provider, Objects.requireNonNull(capability, "capability"),
                    contextWindow});
            return this;
        }

        /** The default route, in priority order; default: every provider in the order added. */
        public Builder route(List<Candidate> candidates) {
            if (candidates.isEmpty()) {
                throw new IllegalArgumentException("route: empty (expected: at least one provider)");
            }
            this.route = List.copyOf(candidates);
            return this;
        }

        /** The default route by provider names ({@code provider[/model]}). */
        public Builder route(String... candidates) {
            List<Candidate> list = new ArrayList<>();
            for (String c : candidates) {
                list.add(Candidate.parse(c));
            }
            return route(list);
        }

        /** A request type's capability floor: the cheapest candidate at or above it answers. */
        public Builder requestType(String type, Capability floor) {
            typeFloors.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(floor, "floor"));
            return this;
        }

        /** A request type's own candidates (instead of the default route). */
        public Builder requestTypeRoute(String type, List<Candidate> candidates) {
            typeRoutes.put(Objects.requireNonNull(type, "type"), List.copyOf(candidates));
            return this;
        }

        public Builder midStream(MidStreamPolicy policy) {
            this.midStream = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Retries of one candidate.
         *
         * @param maxAttempts attempts per candidate (1 = no retry)
         * @param backoff first backoff, doubled per attempt, with full jitter
         * @param maxBackoff the longest backoff
         * @param maxWait the longest provider hint ({@code retry-after}, {@code RetryInfo}) waited for;
         *                a longer one parks the candidate and fails over
         */
        public Builder retry(int maxAttempts, Duration backoff, Duration maxBackoff, Duration maxWait) {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("max-attempts: " + maxAttempts + " (expected: 1..10)");
            }
            this.maxAttempts = maxAttempts;
            this.backoff = nonNegative("backoff", backoff);
            this.maxBackoff = nonNegative("max-backoff", maxBackoff);
            this.maxWait = nonNegative("max-wait", maxWait);
            return this;
        }

        /** Circuit breakers: open after {@code failureThreshold} consecutive failures, for {@code cooldown}. */
        public Builder circuitBreaker(int failureThreshold, Duration cooldown) {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failure-threshold: " + failureThreshold + " (expected: >= 1)");
            }
            this.failureThreshold = failureThreshold;
            this.cooldown = nonNegative("cooldown", cooldown);
            return this;
        }

        /**
         * How long credentials are parked: an exhausted quota without a known reset, and a rejected key
         * or missing model.
         */
        public Builder park(Duration quota, Duration credential) {
            this.quotaPark = nonNegative("quota-park", quota);
            this.credentialPark = nonNegative("credential-park", credential);
            return this;
        }

        /**
         * Hedged requests: when the first candidate has produced nothing after {@code after} (time to
         * the answer, or to the first token of a stream), the remaining candidates are started too; the
         * first to answer wins, the other call is cancelled and both are accounted for. {@code adaptive}
         * uses the first candidate's observed p95 instead, once 20 calls were seen ({@code after} until
         * then; {@code null}: no hedge until then). Default: off.
         */
        public Builder hedge(Duration after, boolean adaptive) {
            if (after != null && (after.isNegative() || after.isZero())) {
                throw new IllegalArgumentException("hedge-after: " + after + " (expected: > 0)");
            }
            this.hedgeAfter = after;
            this.hedgeAdaptive = adaptive;
            return this;
        }

        /** Where budgets are counted (default: in memory, once a limit is set). The client closes it when closed. */
        public Builder budgetStore(BudgetStore store) {
            this.budgets = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Limits of every budget key without its own. */
        public Builder budgetLimits(BudgetLimits limits) {
            this.defaultLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Limits of one budget key (a tenant or API key). */
        public Builder budgetLimits(String key, BudgetLimits limits) {
            keyLimits.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(limits, "limits"));
            return this;
        }

        /** Whether calls go ahead when the budget store is unreachable (default: no, fail closed). */
        public Builder budgetFailOpen(boolean failOpen) {
            this.budgetFailOpen = failOpen;
            return this;
        }

        /** The response cache; {@code null} turns caching off. The client closes it when closed. */
        public Builder cache(ResponseCache cache) {
            this.cache = cache;
            this.cacheSet = true;
            return this;
        }

        /**
         * The opt-in semantic cache (default: none): answers a tenant that opted in with the answer to
         * a near-identical earlier question, guarded against negation and different numbers.
         */
        public Builder semanticCache(io.aegis.gateway.llm.cache.SemanticCache cache) {
            this.semantic = cache;
            return this;
        }

        /** @param nonDeterministic also cache requests whose temperature is not 0 */
        public Builder cachePolicy(Duration ttl, boolean nonDeterministic) {
            this.cacheTtl = nonNegative("cache ttl", ttl);
            this.cacheNonDeterministic = nonDeterministic;
            return this;
        }

        /** Replaces the validators. */
        public Builder validators(List<ResponseValidator> list) {
            this.validators = new ArrayList<>(list);
            return this;
        }

        /** Adds a validator. */
        public Builder validator(ResponseValidator v) {
            validators.add(Objects.requireNonNull(v, "validator"));
            return this;
        }

        public Builder prices(PriceTable table) {
            this.prices = Objects.requireNonNull(table, "table");
            return this;
        }

        /** The wall clock (budget windows, retry dates). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The monotonic clock (breakers, latency). */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
            return this;
        }

        /** Runs timeouts and delayed retries (default: one daemon thread owned by the client). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
            return this;
        }

        /** Where events go ({@code llm.failover}, {@code llm.circuit.opened}, ...). */
        public Builder events(GatewayEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        private static Duration nonNegative(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative()) {
                throw new IllegalArgumentException(what + ": " + d + " (expected: >= 0)");
            }
            return d;
        }

        /**
         * @throws IllegalStateException without providers
         * @throws IllegalArgumentException when a route names an unknown provider
         */
        public LlmClient build() {
            if (order.isEmpty()) {
                throw new IllegalStateException("no provider (expected: at least one, e.g. the echo provider)");
            }
            ScheduledExecutorService owned = null;
            ScheduledExecutorService sched = scheduler;
            if (sched == null) {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
                    Thread t = new Thread(r, "aegis-llm-timer");
                    t.setDaemon(true);
                    return t;
                });
                s.setRemoveOnCancelPolicy(true);
                owned = s;
                sched = s;
            }
            PriceTable table = prices != null ? prices : PriceTable.defaults();
            Map<String, Router.Entry> entries = new LinkedHashMap<>();
            for (String name : order) {
                ProviderSettings s = settings.stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
                if (s != null) {
                    entries.put(name, new Router.Entry(Providers.create(s, sched, clock), s.capability(),
                            s.contextWindow() == null ? 0 : s.contextWindow(), prices(s, table)));
                } else {
                    Object[] c = custom.get(name);
                    LlmProvider p = (LlmProvider) c[0];
                    entries.put(name, new Router.Entry(p, (Capability) c[1], (Integer) c[2],
                            memo(m -> table.find(null, m).orElse(null))));
                }
            }
            List<Candidate> defaultRoute = route != null ? route : order.stream().map(Candidate::of).toList();
            checkRoute("route", defaultRoute, entries);
            typeRoutes.forEach((type, r) -> checkRoute("route of request type " + type, r, entries));
            BudgetStore store = budgets;
            boolean anyLimit = !defaultLimits.unlimited() || keyLimits.values().stream().anyMatch(l -> !l.unlimited());
            if (store == null && anyLimit) {
                store = new InMemoryBudgetStore();
            }
            ResponseCache c = cacheSet ? cache : new LocalResponseCache(10_000, nanoTime);
            Router router = new Router(entries, defaultRoute, typeFloors, typeRoutes, midStream,
                    new Router.Resilience(maxAttempts, backoff, maxBackoff, maxWait, failureThreshold, cooldown, quotaPark,
                            credentialPark),
                    store, defaultLimits, keyLimits, budgetFailOpen, c, cacheTtl, cacheNonDeterministic, validators,
                    new LlmTelemetry(openTelemetry), events, clock, nanoTime, sched);
            router.hedging(new Router.Hedging(hedgeAfter, hedgeAdaptive));
            router.semanticCache(semantic);
            return new LlmClient(router, owned, store, c, entries);
        }

        private static void checkRoute(String what, List<Candidate> route, Map<String, Router.Entry> entries) {
            for (Candidate c : route) {
                if (!entries.containsKey(c.provider())) {
                    throw new IllegalArgumentException(what + ": unknown provider '" + c.provider() + "' (expected: one of "
                            + entries.keySet() + ")");
                }
            }
        }

        private static Function<String, ModelPrice> memo(Function<String, ModelPrice> f) {
            Map<String, Optional<ModelPrice>> m = new ConcurrentHashMap<>();
            return model -> m.computeIfAbsent(model, k -> Optional.ofNullable(f.apply(k))).orElse(null);
        }

        /** Settings override, then Hugging Face serving-provider prices, then the table, then free for local servers. */
        private static Function<String, ModelPrice> prices(ProviderSettings s, PriceTable table) {
            return memo(model -> {
                if (s.inputPricePerMillion() != null) {
                    return ModelPrice.perMillion(s.name() + "/" + model, s.inputPricePerMillion(),
                            s.outputPricePerMillion(), s.contextWindow() == null ? 0 : s.contextWindow());
                }
                int colon = model.lastIndexOf(':');
                if (s.format() == WireFormat.HUGGINGFACE && colon > 0) {
                    BigDecimal[] p = s.servingPrices().get(model.substring(colon + 1));
                    if (p != null) {
                        return ModelPrice.perMillion(model, p[0], p[1], s.contextWindow() == null ? 0 : s.contextWindow());
                    }
                }
                Optional<ModelPrice> found = table.find(s.format().priceNamespace(), model);
                if (found.isPresent()) {
                    return found.get();
                }
                return switch (s.format()) {
                    case OLLAMA, ECHO, TGI -> ModelPrice.free(model);
                    default -> null;
                };
            });
        }
    }
}
