package io.aegis.gateway.quota.spi;

import io.aegis.gateway.quota.QuotaCalendar;
import io.aegis.gateway.quota.QuotaCounts;
import io.aegis.gateway.quota.QuotaLimits;
import java.util.List;
import java.util.Map;

/**
 * Where quota counts and per-caller overrides live. Implementations are thread-safe and decide
 * atomically: a request is counted only when it fits every budget, counts of a period vanish when
 * it ends, and each threshold of each period is reported as crossed exactly once, even when many
 * replicas share the store. A store that cannot decide throws
 * {@link io.aegis.gateway.ratelimit.spi.BackendUnavailableException} (fail closed) or decides
 * locally (fail open).
 */
public interface QuotaStore extends AutoCloseable {

    /**
     * Counts a request of {@code cost} for the caller if it fits the caller's override, else
     * {@code defaults}.
     *
     * @param caller the caller key
     * @param defaults the tier's budgets
     * @param periods the current day and month
     * @param cost requests to count (0 only peeks)
     * @param thresholds alert thresholds in percent, ascending
     */
    QuotaCounts consume(String caller, QuotaLimits defaults, QuotaCalendar.Periods periods, long cost,
                        List<Integer> thresholds);

    /** The caller's override, or {@code null}. */
    QuotaLimits override(String caller);

    /** Sets (replaces) the caller's override, in force from its next request. */
    void setOverride(String caller, QuotaLimits limits);

    /** Removes the caller's override; the tier's budgets apply again. */
    void removeOverride(String caller);

    /** Every override, by caller key. */
    Map<String, QuotaLimits> overrides();

    @Override
    default void close() {
    }
}
