package io.aegis.gateway.health;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The answer to a health probe in the MicroProfile Health JSON format:
 * {@code {"status":"UP","checks":[{"name":…,"status":…,"data":{…}}]}}. The status is UP only when
 * every check is UP; adapters answer 200 for UP and 503 for DOWN.
 *
 * @param checks the results, in registration order
 */
public record HealthReport(List<HealthCheckResult> checks) {

    private static final JsonFactory JSON = new JsonFactory();

    public HealthReport {
        checks = List.copyOf(checks);
    }

    public boolean up() {
        return checks.stream().allMatch(HealthCheckResult::up);
    }

    /** 200 when UP, 503 when DOWN. */
    public int httpStatus() {
        return up() ? 200 : 503;
    }

    public String toJson() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("status", up() ? "UP" : "DOWN");
            g.writeArrayFieldStart("checks");
            for (HealthCheckResult c : checks) {
                g.writeStartObject();
                g.writeStringField("name", c.name());
                g.writeStringField("status", c.up() ? "UP" : "DOWN");
                if (!c.data().isEmpty()) {
                    g.writeObjectFieldStart("data");
                    for (Map.Entry<String, Object> e : c.data().entrySet()) {
                        Object v = e.getValue();
                        if (v instanceof Boolean b) {
                            g.writeBooleanField(e.getKey(), b);
                        } else if (v instanceof Number n) {
                            g.writeNumberField(e.getKey(), n.longValue());
                        } else {
                            g.writeStringField(e.getKey(), String.valueOf(v));
                        }
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
