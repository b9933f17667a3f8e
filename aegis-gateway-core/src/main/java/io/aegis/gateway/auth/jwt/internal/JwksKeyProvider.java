package io.aegis.gateway.auth.jwt.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keys from a JWKS endpoint, kept fresh:
 * <ul>
 *   <li>fetched with connect and request timeouts, body bounded to 1 MiB;</li>
 *   <li>refreshed in the background every refresh interval (sooner when {@code Cache-Control:
 *       max-age} says so, never more often than the minimum refetch interval);</li>
 *   <li>refetched on an unknown {@code kid}, at most once per minimum refetch interval, so a
 *       rotated key works within that interval;</li>
 *   <li>when the endpoint fails, the last good keys keep being served; the change of state is
 *       reported once (log line and observer), not per request.</li>
 * </ul>
 * Thread-safe. Fetches are serialized: concurrent callers wait for the fetch in flight.
 */
public final class JwksKeyProvider implements KeyProvider {

    private static final System.Logger LOG = System.getLogger(JwksKeyProvider.class.getName());
    private static final int MAX_BODY = 1 << 20;
    private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d{1,9})");
    private static final Duration EMPTY_RETRY = Duration.ofSeconds(1);

    /** Told about fetch outcomes, for metrics and events. */
    public interface Observer {
        void fetched(URI uri, int keyCount);

        /**
         * A fetch failed; {@code stale} is true when the last good keys are served instead, and
         * {@code changed} only for the first failure after a success (or ever), so that the state
         * change can be reported once rather than per fetch.
         */
        void failed(URI uri, String reason, boolean stale, boolean changed);

        void recovered(URI uri);
    }

    private final URI uri;
    private final HttpClient http;
    private final Duration refreshInterval;
    private final Duration minRefetchInterval;
    private final Duration timeout;
    private final Clock clock;
    private final Observer observer;
    private final ScheduledExecutorService scheduler;
    private final List<Runnable> removalCallbacks = new CopyOnWriteArrayList<>();
    private final Object fetchLock = new Object();

    private volatile KeySet keys;
    private volatile Instant lastAttempt = Instant.MIN;
    private volatile boolean failing;
    private volatile boolean closed;
    private ScheduledFuture<?> next;

    public JwksKeyProvider(URI uri, Duration refreshInterval, Duration minRefetchInterval, Duration timeout,
                           Clock clock, Observer observer) {
        this.uri = uri;
        this.refreshInterval = refreshInterval;
        this.minRefetchInterval = minRefetchInterval;
        this.timeout = timeout;
        this.clock = clock;
        this.observer = observer;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "aegis-jwks-refresh");
            t.setDaemon(true);
            return t;
        });
        // First fetch in the background: start-up never waits for the identity provider.
        schedule(Duration.ZERO);
    }

    @Override
    public List<VerificationKey> candidates(String alg, String kid) throws KeysUnavailable {
        KeySet k = keys;
        if (k == null) {
            fetchIfDue(EMPTY_RETRY);
            k = keys;
            if (k == null) {
                throw new KeysUnavailable("no keys could be fetched from " + uri);
            }
        }
        List<VerificationKey> c = k.candidates(alg, kid);
        if (c.isEmpty() && kid != null && !k.hasKid(kid)) {
            // Unknown kid: the issuer may have rotated. Refetch, rate-limited.
            fetchIfDue(minRefetchInterval);
            KeySet fresh = keys;
            if (fresh != k) {
                c = fresh.candidates(alg, kid);
            }
        }
        return c;
    }

    @Override
    public boolean ready() {
        return keys != null;
    }

    @Override
    public void onKeysRemoved(Runnable callback) {
        removalCallbacks.add(callback);
    }

    /** The keys now served, or {@code null} before the first successful fetch. */
    public KeySet current() {
        return keys;
    }

    /** {@code true} while the endpoint fails and the last good keys are served. */
    public boolean stale() {
        return failing && keys != null;
    }

    private void fetchIfDue(Duration minInterval) {
        synchronized (fetchLock) {
            if (closed || Duration.between(lastAttempt, clock.instant()).compareTo(minInterval) < 0) {
                return;
            }
            fetchNow();
        }
    }

    /** Fetches now, whatever the rate limit; returns the delay until the next background refresh. */
    private Duration fetchNow() {
        synchronized (fetchLock) {
            lastAttempt = clock.instant();
            try {
                HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(uri)
                                .timeout(timeout)
                                .header("Accept", "application/jwk-set+json, application/json")
                                .GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                String body;
                try (InputStream in = resp.body()) {
                    byte[] bytes = in.readNBytes(MAX_BODY + 1);
                    if (bytes.length > MAX_BODY) {
                        throw new IOException("JWKS larger than " + MAX_BODY + " bytes");
                    }
                    body = new String(bytes, StandardCharsets.UTF_8);
                }
                if (resp.statusCode() != 200) {
                    throw new IOException("HTTP " + resp.statusCode());
                }
                List<VerificationKey> parsed = KeyLoader.fromJwks(body, false);
                if (parsed.isEmpty()) {
                    throw new IOException("the key set holds no usable key");
                }
                KeySet previous = keys;
                keys = new KeySet(parsed, clock.instant());
                observer.fetched(uri, parsed.size());
                if (failing) {
                    failing = false;
                    LOG.log(System.Logger.Level.INFO, "JWKS " + uri + " answers again; keys refreshed");
                    observer.recovered(uri);
                }
                if (previous != null) {
                    Set<String> now = keys.kids();
                    if (previous.kids().stream().anyMatch(kid -> !now.contains(kid))) {
                        removalCallbacks.forEach(Runnable::run);
                    }
                }
                return nextDelay(resp.headers().firstValue("Cache-Control").orElse(null));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return fail("interrupted");
            } catch (IOException | RuntimeException e) {
                return fail(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            }
        }
    }

    private Duration fail(String reason) {
        boolean stale = keys != null;
        boolean changed = !failing;
        if (changed) {
            failing = true;
            LOG.log(System.Logger.Level.WARNING, "JWKS fetch from " + uri + " failed (" + reason + "); "
                    + (stale ? "serving the last good keys fetched at " + keys.fetchedAt() : "no keys yet"));
        }
        observer.failed(uri, reason, stale, changed);
        // Retry sooner than the regular refresh, but never hammer the endpoint.
        Duration retry = refreshInterval.dividedBy(10);
        return retry.compareTo(minRefetchInterval) < 0 ? minRefetchInterval : retry;
    }

    private Duration nextDelay(String cacheControl) {
        Duration d = refreshInterval;
        if (cacheControl != null) {
            Matcher m = MAX_AGE.matcher(cacheControl);
            if (m.find()) {
                Duration maxAge = Duration.ofSeconds(Long.parseLong(m.group(1)));
                if (maxAge.compareTo(d) < 0) {
                    d = maxAge;
                }
            }
        }
        return d.compareTo(minRefetchInterval) < 0 ? minRefetchInterval : d;
    }

    private void schedule(Duration delay) {
        if (closed) {
            return;
        }
        synchronized (this) {
            try {
                next = scheduler.schedule(() -> {
                    Duration d = fetchNow();
                    schedule(d);
                }, delay.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closed while a fetch was finishing: nothing more to schedule
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (next != null) {
                next.cancel(false);
            }
        }
        scheduler.shutdownNow();
    }

    @Override
    public String toString() {
        return "JwksKeyProvider[" + uri + "]";
    }
}
