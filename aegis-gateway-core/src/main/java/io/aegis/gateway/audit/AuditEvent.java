package io.aegis.gateway.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One security audit record: what happened ({@code type}, e.g. {@code auth.failure},
 * {@code waf.block}, {@code ban}, {@code admin.config_reloaded}, {@code emergency.attack_detected}),
 * when, to whom (client address, principal), where (route), and how to find the request again
 * (correlation id from {@code X-Request-Id} or generated, OpenTelemetry trace id). Details are in
 * {@link #details()}, already masked: never a raw token, key, password or payload.
 *
 * <p>Immutable and thread-safe.
 */
public record AuditEvent(String type, Instant time, String client, String principal, String route,
                         String correlationId, String traceId, Map<String, Object> details) {

    private static final JsonFactory JSON = new JsonFactory();

    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** One line of JSON: {@code {"type":...,"time":...,"client":...,...,"details":{...}}}. */
    public String toJson() {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("type", type);
            g.writeStringField("time", time.toString());
            field(g, "client", client);
            field(g, "principal", principal);
            field(g, "route", route);
            field(g, "correlation_id", correlationId);
            field(g, "trace_id", traceId);
            g.writeObjectFieldStart("details");
            for (Map.Entry<String, Object> e : details.entrySet()) {
                Object v = e.getValue();
                if (v instanceof Number n) {
                    if (v instanceof Double || v instanceof Float) {
                        g.writeNumberField(e.getKey(), n.doubleValue());
                    } else {
                        g.writeNumberField(e.getKey(), n.longValue());
                    }
                } else if (v instanceof Boolean b) {
                    g.writeBooleanField(e.getKey(), b);
                } else {
                    g.writeStringField(e.getKey(), String.valueOf(v));
                }
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
