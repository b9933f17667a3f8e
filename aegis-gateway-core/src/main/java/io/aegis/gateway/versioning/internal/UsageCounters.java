package io.aegis.gateway.versioning.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * Calls per version × route × client, counted without a lock on the hot path: a lookup in a
 * {@link ConcurrentHashMap} and a {@link LongAdder} increment; only the first call of a new
 * combination inserts. At most {@code max} combinations are kept: calls of clients beyond that are
 * counted under the client {@value #OTHER}, so memory stays bounded whatever clients send.
 *
 * <p>Thread-safe.
 */
public final class UsageCounters {

    /** The client under which calls are counted once the table is full. */
    public static final String OTHER = "(other)";

    private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();
    private volatile int max;

    public UsageCounters(int max) {
        this.max = max;
    }

    /** Changes the bound (on reload); counters already kept stay. */
    public void max(int max) {
        this.max = max;
    }

    /**
     * Counts one call.
     *
     * @return the client the call was counted under: {@code client}, or {@value #OTHER} when the table is full
     */
    public String record(String version, String route, String client, long nowMillis) {
        Key k = new Key(version, route, client);
        Counter c = counters.get(k);
        if (c == null) {
            if (counters.size() >= max) {
                k = new Key(version, route, OTHER);
            }
            c = counters.computeIfAbsent(k, x -> new Counter(nowMillis));
        }
        c.calls.increment();
        c.lastSeen.accumulate(nowMillis);
        return k.client();
    }

    /** How many combinations are kept. */
    public int size() {
        return counters.size();
    }

    /** A snapshot of every counter (each one consistent enough for a report, not atomic as a whole). */
    public List<Row> snapshot() {
        List<Row> rows = new ArrayList<>(counters.size());
        counters.forEach((k, c) -> rows.add(new Row(k.version(), k.route(), k.client(), c.calls.sum(), c.firstSeen,
                c.lastSeen.get())));
        return rows;
    }

    /** Forgets every counter. */
    public void clear() {
        counters.clear();
    }

    /** One counter's state. */
    public record Row(String version, String route, String client, long calls, long firstSeenMillis, long lastSeenMillis) {
    }

    private record Key(String version, String route, String client) {
    }

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        final long firstSeen;
        final LongAccumulator lastSeen = new LongAccumulator(Math::max, Long.MIN_VALUE);

        Counter(long firstSeen) {
            this.firstSeen = firstSeen;
        }
    }
}
