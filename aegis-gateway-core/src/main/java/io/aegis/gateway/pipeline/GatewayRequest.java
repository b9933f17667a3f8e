package io.aegis.gateway.pipeline;

import java.util.List;

/**
 * A framework-neutral, read-only view of an inbound HTTP request.
 *
 * <p>Adapters (servlet filter, JAX-RS filters, the ext_authz sidecar) implement this view over
 * their own request type; policies only ever see this interface. Implementations must be cheap:
 * every method is called on the hot path and should not copy or decode more than asked.
 *
 * <p>Implementations are not required to be thread-safe; an instance belongs to one request.
 */
public interface GatewayRequest {

    /** The request method in upper case, e.g. {@code GET}. */
    String method();

    /**
     * The path the framework dispatches on: percent-decoded and normalized by the container,
     * relative to the application (no servlet context path), starting with {@code /}. Routing
     * uses this path, so a route decision always concerns the resource the framework will call.
     * Never {@code null}.
     */
    String path();

    /**
     * The path exactly as the client sent it, still percent-encoded, relative to the application,
     * for inspection (threat detection decodes it itself). Never {@code null}.
     */
    String rawPath();

    /** The raw (still encoded) query string without the leading {@code ?}, or {@code null}. */
    String rawQuery();

    /** The first value of the named header (case-insensitive), or {@code null}. */
    String header(String name);

    /** Every value of the named header (case-insensitive), in order; empty when absent. */
    List<String> headers(String name);

    /** The names of all headers present, in any case. */
    Iterable<String> headerNames();

    /** The IP address of the socket peer (the TCP connection), as a literal. Never {@code null}. */
    String remoteAddress();

    /** {@code true} when the connection to the socket peer is TLS. */
    boolean secure();

    /**
     * The body, buffered up to {@code limit} bytes, for policies that inspect it (threat
     * detection). Adapters buffer only when asked, and replay what they buffered followed by the
     * rest of the body to the application, so asking never consumes the body. A body longer than
     * the limit comes back {@linkplain RequestBody#truncated() truncated} (its first {@code limit}
     * bytes). Requests without a body answer an empty view.
     *
     * <p>The default answers {@code null}: the adapter cannot offer the body.
     *
     * @param limit the most bytes to buffer, at least 0
     */
    default RequestBody body(int limit) {
        return null;
    }
}
