package io.aegis.gateway.apikey.internal;

import io.aegis.gateway.apikey.ApiKeyUsage;
import io.aegis.gateway.apikey.spi.ApiKeyStore;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongConsumer;

/**
 * Counts requests made with API keys, per key, hour, route and version, in memory on the request
 * path (a map lookup and two {@link LongAdder} increments; no lock, no I/O), and writes the counts
 * to the store in batches from {@link #flush()} (called periodically by its owner).
 *
 * <p>A failed flush puts its counts back and tries again at the next flush. Rows of past hours are
 * dropped from memory once flushed. At most {@code maxPending} rows are kept; requests for new
 * rows beyond that are counted as dropped. A crash loses what was counted since the last flush.
 *
 * <p>Runs in the authentication stage, after the authenticator, so every request that
 * authenticated with a key is counted with its final status (403 and 429 included).
 */
public final class UsageTracker implements GatewayPolicy {

    private static final System.Logger LOG = System.getLogger(UsageTracker.class.getName());
    private static final long HOUR_MILLIS = 3_600_000L;

    private final ApiKeyStore store;
    private final Clock clock;
    private final int maxPending;
    private final long retireAfterMillis;
    private final LongConsumer onDropped;
    private final ConcurrentHashMap<Row, Counter> counters = new ConcurrentHashMap<>();
    private final LongAdder dropped = new LongAdder();

    private record Row(String keyId, long hourStartMillis, String route, String version) {
    }

    private static final class Counter {
        final LongAdder requests = new LongAdder();
        final LongAdder errors = new LongAdder();
        final LongAccumulator lastUsed = new LongAccumulator(Math::max, Long.MIN_VALUE);
    }

    /**
     * @param flushInterval how often the owner flushes (rows of past hours are retired two intervals after the hour ends)
     * @param onDropped told how many requests could not be counted because memory was full
     */
    public UsageTracker(ApiKeyStore store, Clock clock, int maxPending, Duration flushInterval, LongConsumer onDropped) {
        this.store = store;
        this.clock = clock;
        this.maxPending = maxPending;
        this.retireAfterMillis = 2 * flushInterval.toMillis();
        this.onDropped = onDropped;
    }

    @Override
    public Stage stage() {
        return Stage.AUTHENTICATION;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        return Decision.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, int status) {
        Principal p = exchange.principal();
        if (p == null || p.scheme() != AuthScheme.API_KEY || p.credentialId() == null) {
            return;
        }
        RoutePolicy route = exchange.route();
        record(p.credentialId(), route == null ? "" : route.id(), route == null ? null : route.version(), status);
    }

    /** Counts one request. */
    public void record(String keyId, String route, String version, int status) {
        long now = clock.millis();
        Row row = new Row(keyId, now - Math.floorMod(now, HOUR_MILLIS), route, version == null ? "" : version);
        Counter c = counters.get(row);
        if (c == null) {
            if (counters.size() >= maxPending) {
                dropped.increment();
                onDropped.accept(1);
                return;
            }
            c = counters.computeIfAbsent(row, r -> new Counter());
        }
        c.requests.increment();
        if (status >= 400) {
            c.errors.increment();
        }
        c.lastUsed.accumulate(now);
    }

    /**
     * Writes what was counted since the last flush to the store.
     *
     * @return the rows written
     */
    public int flush() {
        long now = clock.millis();
        List<ApiKeyUsage> batch = new ArrayList<>();
        List<Map.Entry<Row, long[]>> taken = new ArrayList<>();
        for (Map.Entry<Row, Counter> e : counters.entrySet()) {
            Row row = e.getKey();
            Counter c = e.getValue();
            long requests = c.requests.sumThenReset();
            long errors = c.errors.sumThenReset();
            long last = c.lastUsed.getThenReset();
            if (requests > 0) {
                batch.add(new ApiKeyUsage(row.keyId, Instant.ofEpochMilli(row.hourStartMillis), row.route, row.version,
                        requests, errors, Instant.ofEpochMilli(last == Long.MIN_VALUE ? now : last)));
                taken.add(Map.entry(row, new long[] {requests, errors, last}));
            } else if (now >= row.hourStartMillis + HOUR_MILLIS + retireAfterMillis) {
                // Nobody records into a past hour any more: retire the row.
                counters.remove(row, c);
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            store.recordUsage(batch);
            return batch.size();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "writing API-key usage failed; " + batch.size()
                    + " rows kept for the next flush: " + e.getMessage());
            for (Map.Entry<Row, long[]> t : taken) {
                Counter c = counters.computeIfAbsent(t.getKey(), r -> new Counter());
                c.requests.add(t.getValue()[0]);
                c.errors.add(t.getValue()[1]);
                c.lastUsed.accumulate(t.getValue()[2]);
            }
            return 0;
        }
    }

    /** Counts not yet flushed for a key, as usage rows (for queries). */
    public List<ApiKeyUsage> pending(String keyId) {
        List<ApiKeyUsage> out = new ArrayList<>();
        for (Map.Entry<Row, Counter> e : counters.entrySet()) {
            Row row = e.getKey();
            if (!row.keyId.equals(keyId)) {
                continue;
            }
            long requests = e.getValue().requests.sum();
            if (requests > 0) {
                long last = e.getValue().lastUsed.get();
                out.add(new ApiKeyUsage(row.keyId, Instant.ofEpochMilli(row.hourStartMillis), row.route, row.version,
                        requests, e.getValue().errors.sum(), Instant.ofEpochMilli(last == Long.MIN_VALUE ? 0 : last)));
            }
        }
        return out;
    }

    /** Requests that could not be counted because too many rows were pending. */
    public long dropped() {
        return dropped.sum();
    }

    /** Rows held in memory. */
    public int pendingRows() {
        return counters.size();
    }

    @Override
    public String name() {
        return "ApiKeyUsage";
    }
}
