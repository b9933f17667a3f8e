package io.aegis.gateway.pipeline;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.policy.RoutePolicy;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The state of one request as it passes through the pipeline: the request view, what the
 * policies have learned about it (client address, route, principal, attributes) and the headers
 * they want on the response.
 *
 * <p>Not thread-safe: an exchange belongs to the request thread that created it.
 */
public final class Exchange {

    private final GatewayRequest request;
    private final long startNanos;
    private String clientAddress;
    private RoutePolicy route;
    private Principal principal;
    private final ResponseHeaders responseHeaders = new ResponseHeaders();
    private Map<AttributeKey<?>, Object> attributes;
    private String rewrittenPath;
    private String rewrittenRawPath;

    // Bookkeeping of the pipeline that evaluated this exchange, so completion reaches exactly
    // the policies that ran, even if the pipeline was swapped by a reload in between.
    Pipeline pipeline;
    int evaluated;
    boolean preRoutingDone;
    boolean completed;

    /** Starts an exchange for this request; the client address is the socket peer until resolved. */
    public Exchange(GatewayRequest request) {
        this.request = Objects.requireNonNull(request, "request");
        this.startNanos = System.nanoTime();
        this.clientAddress = request.remoteAddress();
    }

    public GatewayRequest request() {
        return request;
    }

    /** {@link System#nanoTime()} when the exchange started. */
    public long startNanos() {
        return startNanos;
    }

    /**
     * The address of the client: the socket peer, or, behind trusted proxies, the right-most
     * untrusted hop of the forwarding headers.
     */
    public String clientAddress() {
        return clientAddress;
    }

    public void clientAddress(String address) {
        this.clientAddress = Objects.requireNonNull(address, "address");
    }

    /** The route the request matched, or {@code null} before routing. */
    public RoutePolicy route() {
        return route;
    }

    public void route(RoutePolicy route) {
        this.route = Objects.requireNonNull(route, "route");
    }

    /** The authenticated principal, or {@code null} for an anonymous request. */
    public Principal principal() {
        return principal;
    }

    public void principal(Principal principal) {
        this.principal = principal;
    }

    /** Headers to put on whatever response the client gets. */
    public ResponseHeaders responseHeaders() {
        return responseHeaders;
    }

    /** The attribute, or {@code null} when absent. */
    public <T> T attribute(AttributeKey<T> key) {
        return attributes == null ? null : key.cast(attributes.get(key));
    }

    /** Sets (or, with {@code null}, removes) an attribute. */
    public <T> void attribute(AttributeKey<T> key, T value) {
        if (value == null) {
            if (attributes != null) {
                attributes.remove(key);
            }
            return;
        }
        if (attributes == null) {
            attributes = new IdentityHashMap<>(4);
        }
        attributes.put(key, value);
    }

    /**
     * Asks the adapter to dispatch the request to another path of the application, as a policy
     * decided (e.g. an API-version fallback to an older version's resource). Routing uses the new
     * path from then on; the request view keeps the path as sent.
     *
     * @param path the new path, percent-decoded, starting with {@code /}
     * @param rawPath the same path percent-encoded, as the adapter puts it in the request URI
     * @throws IllegalArgumentException when either path does not start with {@code /}
     */
    public void rewritePath(String path, String rawPath) {
        if (!Objects.requireNonNull(path, "path").startsWith("/")
                || !Objects.requireNonNull(rawPath, "rawPath").startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + ", rawPath: " + rawPath + " (expected: both starting with '/')");
        }
        this.rewrittenPath = path;
        this.rewrittenRawPath = rawPath;
    }

    /** The decoded path a policy rewrote the request to, or {@code null} when none did. */
    public String rewrittenPath() {
        return rewrittenPath;
    }

    /** The percent-encoded form of {@link #rewrittenPath()}, or {@code null} when no policy rewrote the path. */
    public String rewrittenRawPath() {
        return rewrittenRawPath;
    }

    /** The path the request is routed and dispatched on: the rewritten one, else the request's. */
    public String dispatchPath() {
        return rewrittenPath != null ? rewrittenPath : request.path();
    }
}
