package io.aegis.gateway.telemetry;

import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Problem;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Something the gateway observed that telemetry, audit and operators care about: a request
 * rejected, signing keys gone stale, a configuration reloaded. Events are the observation hook
 * of the library; listeners turn them into metrics, audit records or alerts.
 *
 * <p>Attributes never contain secrets or raw credentials. Immutable and thread-safe.
 *
 * @param type a dotted, stable event type, e.g. {@code request.rejected}
 * @param time when it happened
 * @param attributes details by name, in insertion order
 */
public record GatewayEvent(String type, Instant time, Map<String, Object> attributes) {

    /** A request was answered by a policy instead of the application. */
    public static final String REQUEST_REJECTED = "request.rejected";
    /** The JWKS endpoint failed; the last good keys are served. */
    public static final String JWKS_STALE = "auth.jwks.stale";
    /** The JWKS endpoint answers again after failing. */
    public static final String JWKS_RECOVERED = "auth.jwks.recovered";
    /** A configuration reload was applied. */
    public static final String CONFIG_RELOADED = "config.reloaded";
    /** A configuration reload was refused; the last good configuration stays. */
    public static final String CONFIG_RELOAD_FAILED = "config.reload_failed";

    public GatewayEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
    }

    /** An event of this type now, with alternating attribute names and values. */
    public static GatewayEvent of(String type, Object... nameValues) {
        if (nameValues.length % 2 != 0) {
            throw new IllegalArgumentException("nameValues: " + nameValues.length + " items (expected: pairs)");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            if (nameValues[i + 1] != null) {
                m.put(String.valueOf(nameValues[i]), nameValues[i + 1]);
            }
        }
        return new GatewayEvent(type, Instant.now(), m);
    }

    /** A rejection by the named policy. */
    public static GatewayEvent rejected(Exchange exchange, String policy, Problem problem) {
        return of(REQUEST_REJECTED,
                "policy", policy,
                "problem", problem.type().slug(),
                "status", problem.status(),
                "client", exchange.clientAddress(),
                "method", exchange.request().method(),
                "route", exchange.route() == null ? null : exchange.route().id(),
                "subject", exchange.principal() == null ? null : exchange.principal().subject(),
                "request_id", requestId(exchange));
    }

    /** The client's {@code X-Request-Id}, if it is short and printable (it is echoed into logs). */
    public static String requestId(Exchange exchange) {
        String id = exchange.request().header("X-Request-Id");
        if (id == null || id.isEmpty() || id.length() > 128) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return null;
            }
        }
        return id;
    }
}
