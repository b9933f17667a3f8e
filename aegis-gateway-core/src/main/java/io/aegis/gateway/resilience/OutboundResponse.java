package io.aegis.gateway.resilience;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to an outbound call: status, headers and body of the last try, which target gave it
 * and after how many tries — or, when the call failed and a {@link Fallback} answered,
 * {@link #fallback()} names the kind of fallback.
 *
 * <p>Immutable and thread-safe.
 */
public final class OutboundResponse {

    private final int status;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String target;
    private final int attempts;
    private final String fallback;

    private OutboundResponse(int status, Map<String, List<String>> headers, byte[] body, String target, int attempts,
                             String fallback) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
        this.status = status;
        Map<String, List<String>> h = new LinkedHashMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        this.body = body;
        this.target = target;
        this.attempts = attempts;
        this.fallback = fallback;
    }

    /** A response built by hand, e.g. the static value of a {@link Fallback}. */
    public static OutboundResponse of(int status, Map<String, List<String>> headers, byte[] body) {
        return new OutboundResponse(status, Objects.requireNonNull(headers, "headers"),
                Objects.requireNonNull(body, "body").clone(), null, 0, null);
    }

    /** A {@code 200} JSON response built by hand. */
    public static OutboundResponse json(String json) {
        return of(200, Map.of("content-type", List.of("application/json")), json.getBytes(StandardCharsets.UTF_8));
    }

    static OutboundResponse received(int status, Map<String, List<String>> headers, byte[] body, String target,
                                     int attempts) {
        return new OutboundResponse(status, headers, body, target, attempts, null);
    }

    /** This response as answered by a fallback of the given kind. */
    OutboundResponse asFallback(String kind, int attemptCount) {
        return new OutboundResponse(status, headers, body, target, attemptCount, kind);
    }

    public int status() {
        return status;
    }

    /** {@code true} for 2xx. */
    public boolean successful() {
        return status >= 200 && status < 300;
    }

    /** Headers by lower-case name. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** The first value of a header (any case), or {@code null}. */
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** The body (a copy). */
    public byte[] body() {
        return body.clone();
    }

    /** The body as UTF-8 text. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The target that answered ({@code host:port}), or {@code null} for a fallback value. */
    public String target() {
        return target;
    }

    /** The tries made for this call (0 when a fallback answered without any). */
    public int attempts() {
        return attempts;
    }

    /** {@code null} for a real answer, else the kind of fallback: {@code value}, {@code last-good} or {@code function}. */
    public String fallback() {
        return fallback;
    }

    /** {@code true} when a fallback answered instead of the upstream. */
    public boolean fromFallback() {
        return fallback != null;
    }

    @Override
    public String toString() {
        return "OutboundResponse[" + status + (target == null ? "" : " from " + target) + ", " + attempts + " tries"
                + (fallback == null ? "" : ", fallback " + fallback) + "]";
    }
}
