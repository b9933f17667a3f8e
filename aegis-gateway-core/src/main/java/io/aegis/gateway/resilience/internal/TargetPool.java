package io.aegis.gateway.resilience.internal;

import io.aegis.gateway.resilience.CircuitState;
import io.aegis.gateway.resilience.LoadBalancing;
import io.aegis.gateway.resilience.OutlierDetection;
import io.aegis.gateway.resilience.Target;
import io.aegis.gateway.resilience.TargetStatus;
import io.aegis.gateway.resilience.UpstreamPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The targets of one upstream and the choice among them: which are available (healthy, not
 * ejected, circuit not open), which one the load-balancing strategy picks, and the passive
 * outlier detection that ejects targets. Targets, weights and settings change with
 * {@link #update(UpstreamPolicy)} while calls are in flight: a kept target keeps its state; a
 * removed one is no longer chosen, and calls already on it finish normally.
 *
 * <p>Thread-safe.
 */
public final class TargetPool {

    /** The target chosen for a try, with the breaker permit taken for it. */
    public record Pick(TargetState state, CircuitBreaker.Permit permit) {
    }

    /** Why no target could be chosen. */
    public enum Refusal {
        CIRCUIT_OPEN,
        NO_AVAILABLE_TARGET
    }

    /** Thrown by {@link #pick(Collection)} when nothing is available. */
    public static final class NoTarget extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Refusal refusal;

        NoTarget(Refusal refusal, String message) {
            super(message, null, false, false);
            this.refusal = refusal;
        }

        public Refusal refusal() {
            return refusal;
        }
    }

    private final LongSupplier ticker;
    private final Random random;
    private final PoolListener listener;
    private final AtomicLong roundRobin = new AtomicLong();
    private volatile UpstreamPolicy policy;
    private volatile List<TargetState> states;

    public TargetPool(UpstreamPolicy policy, LongSupplier ticker, Random random, PoolListener listener) {
        this.ticker = ticker;
        this.random = random;
        this.listener = listener;
        this.policy = policy;
        List<TargetState> list = new ArrayList<>();
        for (Target t : policy.targets()) {
            list.add(new TargetState(t, policy.circuitBreaker(), ticker, listener));
        }
        this.states = List.copyOf(list);
    }

    /** Applies new targets and settings, keeping the state of targets that stay. */
    public synchronized void update(UpstreamPolicy next) {
        Map<String, TargetState> old = new HashMap<>();
        for (TargetState s : states) {
            old.put(s.target().authority(), s);
        }
        List<TargetState> list = new ArrayList<>();
        for (Target t : next.targets()) {
            TargetState s = old.get(t.authority());
            if (s == null) {
                s = new TargetState(t, next.circuitBreaker(), ticker, listener);
            } else {
                s.target(t);
                s.breaker.update(next.circuitBreaker());
                if (!next.healthCheck().enabled()) {
                    s.resetHealth();
                }
            }
            list.add(s);
        }
        this.policy = next;
        this.states = List.copyOf(list);
    }

    public List<TargetState> states() {
        return states;
    }

    /**
     * Chooses a target and takes a breaker permit for it. Targets in {@code tried} are avoided
     * while another is available (a retry goes elsewhere when it can).
     *
     * @throws NoTarget when no target is available
     */
    public Pick pick(Collection<TargetState> tried) throws NoTarget {
        for (int round = 0; round < 3; round++) {
            List<TargetState> available = new ArrayList<>();
            boolean anyOpen = false;
            long now = ticker.getAsLong();
            for (TargetState s : states) {
                if (!s.healthy || ejected(s, now)) {
                    continue;
                }
                if (!s.breaker.permits()) {
                    anyOpen = true;
                    continue;
                }
                available.add(s);
            }
            if (available.isEmpty()) {
                throw anyOpen
                        ? new NoTarget(Refusal.CIRCUIT_OPEN, "the circuit of every available target is open")
                        : new NoTarget(Refusal.NO_AVAILABLE_TARGET, "no target is healthy and not ejected");
            }
            if (!tried.isEmpty() && available.size() > 1) {
                List<TargetState> fresh = new ArrayList<>(available);
                fresh.removeAll(tried);
                if (!fresh.isEmpty()) {
                    available = fresh;
                }
            }
            TargetState chosen = choose(available);
            CircuitBreaker.Permit permit = chosen.breaker.tryAcquire();
            if (permit != CircuitBreaker.Permit.DENIED) {
                return new Pick(chosen, permit);
            }
            // lost a race for the last probe slot: choose again
        }
        throw new NoTarget(Refusal.CIRCUIT_OPEN, "every probe slot of the half-open targets is taken");
    }

    private TargetState choose(List<TargetState> available) {
        if (available.size() == 1) {
            return available.get(0);
        }
        LoadBalancing lb = policy.loadBalancing();
        switch (lb) {
            case ROUND_ROBIN:
                return available.get((int) Math.floorMod(roundRobin.getAndIncrement(), (long) available.size()));
            case LEAST_REQUESTS: {
                TargetState a = weightedRandom(available, null);
                TargetState b = weightedRandom(available, a);
                // fewer calls in flight per unit of weight wins; compare a.in/a.w with b.in/b.w
                long lhs = (long) a.inFlight() * b.target().weight();
                long rhs = (long) b.inFlight() * a.target().weight();
                return lhs <= rhs ? a : b;
            }
            case PRIORITY: {
                int best = Integer.MAX_VALUE;
                for (TargetState s : available) {
                    best = Math.min(best, s.target().priority());
                }
                List<TargetState> level = new ArrayList<>();
                for (TargetState s : available) {
                    if (s.target().priority() == best) {
                        level.add(s);
                    }
                }
                return smoothWeighted(level);
            }
            case WEIGHTED_ROUND_ROBIN:
            default:
                return smoothWeighted(available);
        }
    }

    /** Smooth weighted round robin (nginx): each round every candidate gains its weight; the richest pays the total. */
    private synchronized TargetState smoothWeighted(List<TargetState> candidates) {
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        long total = 0;
        TargetState best = null;
        for (TargetState s : candidates) {
            int w = s.target().weight();
            s.currentWeight += w;
            total += w;
            if (best == null || s.currentWeight > best.currentWeight) {
                best = s;
            }
        }
        best.currentWeight -= total;
        return best;
    }

    private TargetState weightedRandom(List<TargetState> candidates, TargetState except) {
        long total = 0;
        for (TargetState s : candidates) {
            if (s != except) {
                total += s.target().weight();
            }
        }
        long r = (long) (random.nextDouble() * total);
        for (TargetState s : candidates) {
            if (s == except) {
                continue;
            }
            r -= s.target().weight();
            if (r < 0) {
                return s;
            }
        }
        for (int i = candidates.size() - 1; i >= 0; i--) {
            if (candidates.get(i) != except) {
                return candidates.get(i);
            }
        }
        return candidates.get(0);
    }

    /** {@code true} while the target is ejected; reports its return once the ejection ran out. */
    private boolean ejected(TargetState s, long now) {
        boolean returned = false;
        synchronized (s) {
            if (s.ejectedUntil == 0) {
                return false;
            }
            if (now - s.ejectedUntil < 0) {
                return true;
            }
            s.ejectedUntil = 0;
            s.returnedAt = now;
            returned = true;
        }
        if (returned) {
            listener.returned(s.target());
        }
        return false;
    }

    /** The kind of outcome of a try, for outlier detection. */
    public enum Outcome {
        SUCCESS,
        SERVER_ERROR,
        NO_RESPONSE,
        /** Ended by the caller's deadline or cancellation: says nothing about the target. */
        IGNORED
    }

    /** Records the outcome of a try for outlier detection. */
    public void record(TargetState s, Outcome outcome) {
        OutlierDetection od = policy.outlierDetection();
        if (!od.enabled() || outcome == Outcome.IGNORED) {
            return;
        }
        long now = ticker.getAsLong();
        Duration ejectFor = null;
        int count = 0;
        String reason = null;
        synchronized (this) {
            synchronized (s) {
                switch (outcome) {
                    case SUCCESS -> {
                        s.consecutive5xx = 0;
                        s.consecutiveGatewayFailures = 0;
                        if (s.ejections > 0 && s.ejectedUntil == 0
                                && now - s.returnedAt >= od.baseEjectionTime().toNanos() * s.ejections) {
                            s.ejections = 0;
                        }
                    }
                    case SERVER_ERROR -> s.consecutive5xx++;
                    case NO_RESPONSE -> s.consecutiveGatewayFailures++;
                    default -> {
                    }
                }
                if (s.ejectedUntil == 0) {
                    if (s.consecutive5xx >= od.consecutive5xx()) {
                        reason = s.consecutive5xx + " consecutive 5xx";
                    } else if (s.consecutiveGatewayFailures >= od.consecutiveGatewayFailures()) {
                        reason = s.consecutiveGatewayFailures + " consecutive failures without a response";
                    }
                }
            }
            if (reason != null && mayEject(od, now, s)) {
                synchronized (s) {
                    s.ejections++;
                    long nanos = Math.min(od.maxEjectionTime().toNanos(), od.baseEjectionTime().toNanos() * s.ejections);
                    s.ejectedUntil = now + Math.max(1, nanos);
                    s.consecutive5xx = 0;
                    s.consecutiveGatewayFailures = 0;
                    ejectFor = Duration.ofNanos(nanos);
                    count = s.ejections;
                }
            }
        }
        if (ejectFor != null) {
            listener.ejected(s.target(), ejectFor, count, reason);
        }
    }

    /** At most max-ejection-percent of the targets (at least one, never all) are ejected at once. */
    private boolean mayEject(OutlierDetection od, long now, TargetState candidate) {
        List<TargetState> all = states;
        int n = all.size();
        if (n <= 1 || !all.contains(candidate)) {
            return false;
        }
        int ejectedNow = 0;
        for (TargetState s : all) {
            synchronized (s) {
                if (s.ejectedUntil != 0 && now - s.ejectedUntil < 0) {
                    ejectedNow++;
                }
            }
        }
        int cap = Math.min(n - 1, Math.max(1, n * od.maxEjectionPercent() / 100));
        if (od.maxEjectionPercent() == 0) {
            cap = 0;
        }
        return ejectedNow + 1 <= cap;
    }

    /** Records an active health check of a target. */
    public void recordCheck(TargetState s, boolean passed) {
        var hc = policy.healthCheck();
        Boolean changed = s.recordCheck(passed, hc.healthyThreshold(), hc.unhealthyThreshold());
        if (changed != null) {
            listener.healthChanged(s.target(), changed);
        }
    }

    /** Snapshots of every target. */
    public List<TargetStatus> status() {
        long now = ticker.getAsLong();
        List<TargetStatus> out = new ArrayList<>();
        for (TargetState s : states) {
            Duration left;
            int ejections;
            synchronized (s) {
                left = s.ejectedUntil != 0 && now - s.ejectedUntil < 0 ? Duration.ofNanos(s.ejectedUntil - now) : Duration.ZERO;
                ejections = s.ejections;
            }
            CircuitState cs = s.breaker.state();
            out.add(new TargetStatus(s.target(), s.healthy, left, ejections, cs, s.inFlight()));
        }
        return out;
    }
}
