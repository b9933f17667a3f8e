package io.aegis.gateway.resilience;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One call to an upstream, independent of the target that will answer it: method, path and query,
 * headers, body, whether it may be retried although its method is not idempotent, and an optional
 * fallback of its own.
 *
 * <p>{@code GET}, {@code HEAD}, {@code OPTIONS}, {@code PUT} and {@code DELETE} are idempotent
 * (RFC 9110 §9.2.2) and retried by default; {@code POST} and {@code PATCH} only when they failed
 * before being sent, unless marked {@link Builder#retryable(boolean) retryable} (e.g. because they
 * carry an idempotency key). Headers the client sets itself ({@code Authorization},
 * {@value Deadline#HEADER}, trace context) and those the JDK reserves ({@code Host},
 * {@code Connection}, {@code Content-Length}, ...) are refused here.
 *
 * <p>Immutable and thread-safe.
 */
public final class OutboundRequest {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE");
    private static final Set<String> RESERVED = Set.of("authorization", "host", "connection", "content-length",
            "expect", "upgrade", "te", "transfer-encoding", "traceparent", "tracestate", "baggage",
            Deadline.HEADER.toLowerCase(Locale.ROOT));

    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final boolean retryable;
    private final Fallback fallback;

    private OutboundRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.query = b.query;
        Map<String, List<String>> h = new LinkedHashMap<>();
        b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        this.body = b.body;
        this.retryable = b.retryable;
        this.fallback = b.fallback;
    }

    /**
     * Starts a request.
     *
     * @param method an HTTP method token, e.g. {@code GET}
     * @param path an absolute, already percent-encoded path such as {@code /api/v1/users/u-1}
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /** A {@code GET} of this path. */
    public static OutboundRequest get(String path) {
        return builder("GET", path).build();
    }

    /** A {@code POST} of a JSON body to this path. */
    public static OutboundRequest postJson(String path, String json) {
        return builder("POST", path).header("Content-Type", "application/json")
                .body(json.getBytes(StandardCharsets.UTF_8)).build();
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The raw query without {@code ?}, or {@code null}. */
    public String query() {
        return query;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The body (a copy), empty when none. */
    public byte[] body() {
        return body.clone();
    }

    int bodyLength() {
        return body.length;
    }

    byte[] bodyUnsafe() {
        return body;
    }

    /** {@code true} when the request was marked safe to retry whatever its method. */
    public boolean retryable() {
        return retryable;
    }

    /** {@code true} when a failed try of this request may be repeated after it was sent. */
    public boolean mayRetryAfterSending() {
        return retryable || IDEMPOTENT.contains(method);
    }

    /** The fallback of this request, or {@code null} for the client's. */
    public Fallback fallback() {
        return fallback;
    }

    /** The path with its query, as sent. */
    public String pathAndQuery() {
        return query == null ? path : path + "?" + query;
    }

    @Override
    public String toString() {
        return method + " " + path + (query == null ? "" : "?…");
    }

    /** Builds an {@link OutboundRequest}. Not thread-safe. */
    public static final class Builder {
        private final String method;
        private final String path;
        private String query;
        private final Map<String, List<String>> headers = new LinkedHashMap<>();
        private byte[] body = new byte[0];
        private boolean retryable;
        private Fallback fallback;

        private Builder(String method, String path) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            if (!method.matches("[A-Z]{1,16}")) {
                throw new IllegalArgumentException("method: '" + method + "' (expected: an upper-case HTTP method)");
            }
            if (!path.startsWith("/") || path.startsWith("//") || path.length() > 8192
                    || path.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == '?' || c == '#')) {
                throw new IllegalArgumentException("path: '" + path
                        + "' (expected: an absolute, percent-encoded path without query or fragment)");
            }
            this.method = method;
            this.path = path;
        }

        /** The raw, already percent-encoded query string without {@code ?}. */
        public Builder query(String rawQuery) {
            if (rawQuery != null && rawQuery.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == '#')) {
                throw new IllegalArgumentException("query: '" + rawQuery + "' (expected: percent-encoded)");
            }
            this.query = rawQuery == null || rawQuery.isEmpty() ? null : rawQuery;
            return this;
        }

        /**
         * Adds a header value.
         *
         * @throws IllegalArgumentException for a header the client or the JDK sets itself
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (!name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new IllegalArgumentException("header name: '" + name + "' (expected: an HTTP token)");
            }
            if (RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("header: " + name + " (expected: a header the client does not set itself)");
            }
            if (value.chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw new IllegalArgumentException("header " + name + ": value contains CR, LF or NUL");
            }
            headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
            return this;
        }

        public Builder body(byte[] bytes) {
            this.body = Objects.requireNonNull(bytes, "bytes").clone();
            return this;
        }

        /** Marks the request safe to retry after it was sent, whatever its method. */
        public Builder retryable(boolean retryable) {
            this.retryable = retryable;
            return this;
        }

        /** A fallback for this request, replacing the client's. */
        public Builder fallback(Fallback fallback) {
            this.fallback = fallback;
            return this;
        }

        public OutboundRequest build() {
            return new OutboundRequest(this);
        }
    }
}
