package io.aegis.gateway.ratelimit;

import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The emergency switch of a service, shared by its policies and outliving configuration reloads:
 * while active, every rate limit is scaled by a factor (e.g. halved) and, optionally, anonymous
 * traffic is refused. Operators turn it on and off through the admin endpoint or
 * {@link #enter}/{@link #leave}; the configuration ({@link EmergencySettings}) turns it on or off
 * when the configured value changes; a {@code threat.attack_detected} event turns it on for a
 * while when configured to. Entering and leaving are audited: a log line and a
 * {@code ratelimit.emergency.entered} / {@code ratelimit.emergency.left} event naming the actor
 * and the reason.
 *
 * <p>With the Redis backend, replicas share it: what an operator or threat detection changes on one
 * replica ({@link #enter}, {@link #leave}, {@link #attackDetected}) goes to the
 * {@linkplain #shareWith sharing sink}, and a state another replica shared arrives through
 * {@link #applyShared}, audited on every replica. What the configuration does is not shared: every
 * replica reads the same configuration, and an expired hold ends on each replica by itself.
 *
 * <p>Thread-safe; reading the state is one volatile read.
 */
public final class EmergencyMode {

    /** Emergency mode was entered. */
    public static final String ENTERED = "ratelimit.emergency.entered";
    /** Emergency mode was left. */
    public static final String LEFT = "ratelimit.emergency.left";

    private static final System.Logger LOG = System.getLogger(EmergencyMode.class.getName());
    private static final State INACTIVE = new State(false, 1.0, false, null, null, null, null);

    private final Clock clock;
    private final GatewayEvents events;
    private final ConcurrentHashMap<LimitSet, LimitSet> scaled = new ConcurrentHashMap<>();
    private volatile State state = INACTIVE;
    private volatile Consumer<State> sharing;
    private EmergencySettings configured = EmergencySettings.defaults(); // guarded by this

    public EmergencyMode(Clock clock, GatewayEvents events) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
    }

    /**
     * The state now.
     *
     * @param active whether emergency mode is on
     * @param factor the factor limits are scaled by (1 when inactive)
     * @param refuseAnonymous whether anonymous requests are refused
     * @param reason why it was entered
     * @param actor who entered it ({@code configuration}, {@code threat-detection}, an admin subject)
     * @param since when it was entered
     * @param until when it ends by itself, or {@code null}
     */
    public record State(boolean active, double factor, boolean refuseAnonymous, String reason, String actor,
                        Instant since, Instant until) {
    }

    public State state() {
        State s = state;
        if (s.active && s.until != null && !clock.instant().isBefore(s.until)) {
            leave("hold expired", s.actor, false);
            return state;
        }
        return s;
    }

    /** {@code true} while active. */
    public boolean active() {
        return state().active;
    }

    /**
     * Enters (or changes) emergency mode.
     *
     * @param hold how long it lasts, or {@code null} until {@link #leave}
     * @throws IllegalArgumentException unless 0 &lt; factor ≤ 1
     */
    public void enter(double factor, boolean refuseAnonymous, String reason, String actor, Duration hold) {
        enter(factor, refuseAnonymous, reason, actor, hold, true);
    }

    private synchronized void enter(double factor, boolean refuseAnonymous, String reason, String actor, Duration hold,
                                    boolean share) {
        if (!(factor > 0 && factor <= 1)) {
            throw new IllegalArgumentException("factor: " + factor + " (expected: > 0 and <= 1)");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as replicas share it
        State s = new State(true, factor, refuseAnonymous, reason == null ? "unspecified" : reason,
                actor == null ? "unknown" : actor, now, hold == null ? null : now.plus(hold));
        entered(s, "");
        if (share) {
            share(s);
        }
    }

    private void entered(State s, String where) {
        state = s;
        scaled.clear();
        LOG.log(System.Logger.Level.WARNING, "emergency mode entered by " + s.actor + where + " (" + s.reason + "): limits x"
                + s.factor + (s.refuseAnonymous ? ", anonymous traffic refused" : "")
                + (s.until == null ? "" : ", until " + s.until));
        events.publish(GatewayEvent.of(ENTERED, "actor", s.actor, "reason", s.reason, "factor", s.factor,
                "refuse_anonymous", s.refuseAnonymous, "until", s.until == null ? null : s.until.toString(),
                "origin", where.isEmpty() ? "local" : "replica"));
    }

    /** Leaves emergency mode; does nothing when inactive. */
    public void leave(String reason, String actor) {
        leave(reason, actor, true);
    }

    private synchronized void leave(String reason, String actor, boolean share) {
        State s = state;
        if (!s.active) {
            return;
        }
        String who = actor == null ? "unknown" : actor;
        left(s, reason, who, "");
        if (share) {
            share(new State(false, 1.0, false, reason, who, clock.instant(), null));
        }
    }

    private void left(State s, String reason, String who, String where) {
        state = INACTIVE;
        scaled.clear();
        LOG.log(System.Logger.Level.WARNING, "emergency mode left by " + who + where + " (" + reason + ") after "
                + Duration.between(s.since, clock.instant()).toSeconds() + " s");
        events.publish(GatewayEvent.of(LEFT, "actor", who, "reason", reason, "entered_by", s.actor,
                "duration_seconds", Duration.between(s.since, clock.instant()).toSeconds(),
                "origin", where.isEmpty() ? "local" : "replica"));
    }

    private void share(State s) {
        Consumer<State> sink = sharing;
        if (sink != null) {
            sink.accept(s);
        }
    }

    /**
     * Sends every change made here by an operator or by threat detection to {@code sink} (the Redis
     * sharing of the rate-limit backend), or to nobody with {@code null}. The sink must not block.
     */
    public void shareWith(Consumer<State> sink) {
        this.sharing = sink;
    }

    /**
     * Takes a state another replica shared: entered (with its factor, reason, actor and hold) or
     * left, audited here as well ({@code origin} {@code replica}), and not shared again. A shared
     * emergency whose hold has passed is ignored.
     */
    public synchronized void applyShared(State shared) {
        Objects.requireNonNull(shared, "shared");
        State s = state;
        if (shared.active) {
            if (shared.until != null && !clock.instant().isBefore(shared.until) || shared.equals(s)) {
                return;
            }
            entered(shared, " on another replica");
        } else if (s.active) {
            left(s, shared.reason == null ? "unspecified" : shared.reason, shared.actor == null ? "unknown" : shared.actor,
                    " on another replica");
        }
    }

    /**
     * Applies configured settings: when the configured on/off or its parameters changed since the
     * last configuration, the mode follows the configuration; otherwise what an operator did stays.
     */
    public synchronized void configure(EmergencySettings settings) {
        EmergencySettings before = configured;
        configured = settings;
        if (settings.sameMode(before)) {
            return;
        }
        if (settings.enabled()) {
            enter(settings.factor(), settings.refuseAnonymous(), "configuration", "configuration", null, false);
        } else if (before.enabled()) {
            leave("configuration", "configuration", false);
        }
    }

    /** The settings last configured. */
    public synchronized EmergencySettings configured() {
        return configured;
    }

    /** An attack was reported: enters for the configured hold when configured to. */
    public void attackDetected(String detail) {
        EmergencySettings s;
        synchronized (this) {
            s = configured;
        }
        if (s.onAttack() && !state().active) {
            enter(s.factor(), s.refuseAnonymous(), "attack detected" + (detail == null ? "" : ": " + detail),
                    "threat-detection", s.attackHold());
        }
    }

    /** The limits to enforce now: scaled by the factor while active, else unchanged. */
    public LimitSet apply(LimitSet limits) {
        State s = state;
        if (!s.active) {
            return limits;
        }
        if (s.until != null) {
            s = state();
            if (!s.active) {
                return limits;
            }
        }
        double f = s.factor;
        return scaled.computeIfAbsent(limits, l -> l.scaled(f));
    }
}
