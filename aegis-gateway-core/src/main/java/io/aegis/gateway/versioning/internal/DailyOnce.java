package io.aegis.gateway.versioning.internal;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one thing happen at most once per key per day, without a lock: the day last fired is kept
 * per key and moved forward with an atomic compare-and-replace, so among racing threads exactly
 * one wins. Bounded: when full, keys not fired today are forgotten first.
 *
 * <p>Thread-safe.
 */
public final class DailyOnce {

    private final ConcurrentHashMap<String, Long> lastDay = new ConcurrentHashMap<>();
    private final int max;

    public DailyOnce(int max) {
        this.max = max;
    }

    /** {@code true} for the first call with this key on this day (epoch day), {@code false} after. */
    public boolean first(String key, long day) {
        Long prev = lastDay.get(key);
        if (prev != null) {
            return prev < day && lastDay.replace(key, prev, day);
        }
        if (lastDay.size() >= max) {
            lastDay.values().removeIf(d -> d < day);
            if (lastDay.size() >= max) {
                return false; // every tracked key already fired today: refuse rather than grow
            }
        }
        return lastDay.putIfAbsent(key, day) == null;
    }
}
