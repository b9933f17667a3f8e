package io.aegis.gateway.access;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * A threat-intelligence feed: an IP/CIDR blocklist (one entry a line, {@code #} comments) loaded
 * from a file or an http(s) URL and refreshed periodically. A fetch that fails, times out, is
 * larger than {@link #maxBytes()} or has more than {@link #maxEntries()} entries is ignored and
 * the last good copy stays in force.
 *
 * @param id a name for logs and configuration ({@code aegis.access.feeds.<id>.*})
 * @param location {@code file:} path or {@code http(s):} URL
 * @param refresh how often to reload (default 1h, at least 10s)
 * @param timeout connect and read timeout of a fetch (default 10s)
 * @param maxBytes the largest accepted document (default 16 MiB)
 * @param maxEntries the most entries accepted (default 1,000,000)
 */
public record FeedSettings(String id, URI location, Duration refresh, Duration timeout, long maxBytes, int maxEntries) {

    public FeedSettings {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(location, "location");
        String scheme = location.getScheme();
        if (scheme == null || !(scheme.equals("file") || scheme.equals("http") || scheme.equals("https"))) {
            throw new IllegalArgumentException("feed " + id + ": location '" + location
                    + "' (expected: a file: path or an http(s): URL)");
        }
        if (refresh.compareTo(Duration.ofSeconds(10)) < 0) {
            throw new IllegalArgumentException("feed " + id + ": refresh " + refresh + " (expected: at least 10s)");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("feed " + id + ": timeout " + timeout + " (expected: positive)");
        }
        if (maxBytes < 1 || maxEntries < 1) {
            throw new IllegalArgumentException("feed " + id + ": limits " + maxBytes + " bytes, " + maxEntries
                    + " entries (expected: positive)");
        }
    }

    /** A feed with the default refresh (1h), timeout (10s) and limits (16 MiB, 1,000,000 entries). */
    public static FeedSettings of(String id, URI location) {
        return new FeedSettings(id, location, Duration.ofHours(1), Duration.ofSeconds(10), 16L << 20, 1_000_000);
    }
}
