package io.aegis.gateway.quota;

import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.quota.spi.QuotaAlertListener;
import io.aegis.gateway.quota.spi.QuotaStore;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The Java API of quotas: usage per caller, per-caller overrides (in force on every replica from
 * the caller's next request when counts live in Redis), and alert listeners. Outlives
 * configuration reloads. Callers are named by their key: {@code t:<tenant>}, {@code u:<subject>},
 * {@code k:<api key id>}, {@code ip:<address>} (see {@link io.aegis.gateway.ratelimit.CallerKey}).
 *
 * <p>Alerts go to every {@link QuotaAlertListener} (registered here or found by
 * {@link ServiceLoader}) and are published as {@value #ALERT_EVENT} gateway events. Thread-safe.
 */
public final class QuotaService implements AutoCloseable {

    /** The event type of a crossed threshold. */
    public static final String ALERT_EVENT = "quota.threshold_crossed";

    private static final System.Logger LOG = System.getLogger(QuotaService.class.getName());

    private final Clock clock;
    private final GatewayEvents events;
    private final List<QuotaAlertListener> listeners = new CopyOnWriteArrayList<>();
    private volatile QuotaStore store;
    private volatile QuotaSettings settings = QuotaSettings.defaults();
    private volatile QuotaCalendar calendar = new QuotaCalendar(QuotaSettings.defaults().zone());

    /**
     * @param store where counts live
     * @param clock the time periods are computed from
     * @param events where alerts are published
     */
    public QuotaService(QuotaStore store, Clock clock, GatewayEvents events) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        for (QuotaAlertListener l : ServiceLoader.load(QuotaAlertListener.class)) {
            listeners.add(l);
        }
    }

    /** Applies (new) settings; counts and overrides stay. */
    public void configure(QuotaSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (!settings.zone().equals(calendar.zone())) {
            calendar = new QuotaCalendar(settings.zone());
        }
    }

    public QuotaSettings settings() {
        return settings;
    }

    public QuotaCalendar calendar() {
        return calendar;
    }

    public Clock clock() {
        return clock;
    }

    /** The store in use. */
    public QuotaStore store() {
        return store;
    }

    /** Replaces the store (backend change on reload); the old one is returned, not closed. */
    public QuotaStore store(QuotaStore next) {
        QuotaStore old = store;
        store = Objects.requireNonNull(next, "next");
        return old;
    }

    public void addAlertListener(QuotaAlertListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeAlertListener(QuotaAlertListener listener) {
        listeners.remove(listener);
    }

    /**
     * Counts one request of a caller and fires the alerts it crossed.
     *
     * @throws io.aegis.gateway.ratelimit.spi.BackendUnavailableException when the store fails closed
     */
    public QuotaCounts consume(String caller, Tier tier, long cost) {
        return consume(caller, tier, cost, calendar.at(clock.instant()));
    }

    /**
     * Counts one request of a caller in the given periods and fires the alerts it crossed.
     *
     * @throws io.aegis.gateway.ratelimit.spi.BackendUnavailableException when the store fails closed
     */
    public QuotaCounts consume(String caller, Tier tier, long cost, QuotaCalendar.Periods p) {
        QuotaSettings s = settings;
        QuotaCounts c = store.consume(caller, s.limitsFor(tier), p, cost, s.thresholds());
        for (QuotaCounts.Crossing x : c.crossed()) {
            long limit = c.limits().of(x.period());
            fire(new QuotaAlert(caller, tier, x.period(), p.id(x.period()), x.percent(), c.used(x.period()), limit,
                    p.end(x.period())));
        }
        return c;
    }

    private void fire(QuotaAlert a) {
        events.publish(GatewayEvent.of(ALERT_EVENT, "caller", a.caller(), "tier", a.tier().id(), "period",
                a.period().id(), "period_id", a.periodId(), "percent", a.percent(), "used", a.used(), "limit", a.limit()));
        for (QuotaAlertListener l : listeners) {
            try {
                l.onAlert(a);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "quota alert listener " + l + " failed", e);
            }
        }
    }

    /**
     * A caller's usage now.
     *
     * @param tier the caller's tier, for its budgets when the caller has no override; {@code null} if unknown
     * @throws io.aegis.gateway.ratelimit.spi.BackendUnavailableException when the store cannot answer
     */
    public QuotaUsage usage(String caller, Tier tier) {
        QuotaCalendar.Periods p = calendar.at(clock.instant());
        QuotaLimits defaults = tier == null ? QuotaLimits.NONE : settings.limitsFor(tier);
        QuotaCounts c = store.consume(caller, defaults, p, 0, List.of());
        boolean overridden = store.override(caller) != null;
        return new QuotaUsage(caller, c.limits(), overridden, c.dayUsed(), p.dayEnd(), c.monthUsed(), p.monthEnd());
    }

    /** Gives a caller its own budgets (a partner with its own numbers), from its next request. */
    public void setOverride(String caller, QuotaLimits limits) {
        store.setOverride(Objects.requireNonNull(caller, "caller"), Objects.requireNonNull(limits, "limits"));
        LOG.log(System.Logger.Level.INFO, "quota override for " + caller + ": " + limits);
    }

    /** Removes a caller's override. */
    public void removeOverride(String caller) {
        store.removeOverride(caller);
        LOG.log(System.Logger.Level.INFO, "quota override for " + caller + " removed");
    }

    public Map<String, QuotaLimits> overrides() {
        return store.overrides();
    }

    @Override
    public void close() {
        store.close();
    }
}
