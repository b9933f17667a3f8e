package io.aegis.gateway.access;

import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;

/**
 * An IP list that changes while the service runs: a file re-read when its modification time
 * changes, or a threat-intelligence feed fetched from a file or URL. {@link #refresh()} loads a new
 * copy; one that cannot be read, is too large or has too many entries is refused and the last
 * good copy stays in force (a {@value #EVENT_FAILED} event says why).
 *
 * <p>Thread-safe: {@link #current()} may be read by any thread while another refreshes.
 */
public final class ListSource {

    /** Published when a list was (re)loaded. */
    public static final String EVENT_LOADED = "access.list_loaded";
    /** Published when a reload failed; the last good copy stays. */
    public static final String EVENT_FAILED = "access.list_failed";

    private static final System.Logger LOG = System.getLogger(ListSource.class.getName());

    private final String name;
    private final URI location;
    private final Duration timeout;
    private final long maxBytes;
    private final int maxEntries;
    private final GatewayEvents events;
    private final HttpClient http;
    private volatile CidrSet current = CidrSet.empty();
    private volatile FileTime lastModified;
    private volatile String etag;

    private ListSource(String name, URI location, Duration timeout, long maxBytes, int maxEntries, GatewayEvents events) {
        this.name = name;
        this.location = location;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.maxEntries = maxEntries;
        this.events = Objects.requireNonNull(events, "events");
        this.http = location.getScheme().startsWith("http")
                ? HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build() : null;
    }

    /** A local allow or deny file, re-read when it changes. */
    public static ListSource file(String name, Path file, GatewayEvents events) {
        return new ListSource(name, file.toUri(), Duration.ofSeconds(10), 64L << 20, 10_000_000, events);
    }

    /** A threat-intelligence feed. */
    public static ListSource feed(FeedSettings feed, GatewayEvents events) {
        return new ListSource("feed " + feed.id(), feed.location(), feed.timeout(), feed.maxBytes(), feed.maxEntries(), events);
    }

    /** The last good copy (empty until one was loaded). */
    public CidrSet current() {
        return current;
    }

    public String name() {
        return name;
    }

    /**
     * Loads a new copy if the source changed. Never throws.
     *
     * @return {@code true} when a new copy is in force
     */
    public synchronized boolean refresh() {
        try {
            String text;
            if (http == null) {
                Path p = Path.of(location);
                FileTime mtime = Files.getLastModifiedTime(p);
                if (mtime.equals(lastModified)) {
                    return false;
                }
                if (Files.size(p) > maxBytes) {
                    throw new IOException("larger than " + maxBytes + " bytes");
                }
                text = Files.readString(p, StandardCharsets.UTF_8);
                lastModified = mtime;
            } else {
                HttpRequest.Builder req = HttpRequest.newBuilder(location).timeout(timeout).GET()
                        .header("Accept", "text/plain");
                if (etag != null) {
                    req.header("If-None-Match", etag);
                }
                HttpResponse<InputStream> r = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream in = r.body()) {
                    if (r.statusCode() == 304) {
                        return false;
                    }
                    if (r.statusCode() != 200) {
                        throw new IOException("HTTP " + r.statusCode());
                    }
                    byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                    if (body.length > maxBytes) {
                        throw new IOException("larger than " + maxBytes + " bytes");
                    }
                    text = new String(body, StandardCharsets.UTF_8);
                }
                etag = r.headers().firstValue("ETag").orElse(null);
            }
            IpListParser.Result parsed = IpListParser.parse(text, maxEntries);
            if (!parsed.invalid().isEmpty()) {
                LOG.log(System.Logger.Level.WARNING, name + " (" + location + "): skipped lines that are no address or network: "
                        + parsed.invalid());
            }
            current = CidrSet.of(parsed.networks());
            events.publish(GatewayEvent.of(EVENT_LOADED, "list", name, "entries", parsed.networks().size()));
            return true;
        } catch (IOException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            LOG.log(System.Logger.Level.WARNING, name + " (" + location + ") not loaded, keeping the last good copy ("
                    + current.size() + " entries): " + reason);
            events.publish(GatewayEvent.of(EVENT_FAILED, "list", name, "reason", reason));
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "ListSource[" + name + ", " + location + ", " + current + "]";
    }
}
