package io.aegis.gateway.versioning;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which clients call which API versions, with call counts and last-seen times: the answer to
 * "who still calls v1 before we switch it off". From {@link VersionManager#usageReport()}; the
 * JAX-RS module serves it at {@code GET /admin/versions/usage}.
 *
 * <p>Counts are since the gateway started (not persisted) and bounded
 * ({@code aegis.versioning.usage.max-entries}); calls of clients beyond the bound are under the
 * client {@code (other)}. Immutable.
 *
 * @param generatedAt when the report was made
 * @param defaultVersion the default version's id, or {@code null}
 * @param versions the catalogue, oldest first, with each version's status at {@code generatedAt}
 * @param clients usage per client and version, most recent first
 */
public record VersionUsageReport(Instant generatedAt, String defaultVersion, List<VersionInfo> versions,
                                 List<ClientUsage> clients) {

    private static final JsonFactory JSON = new JsonFactory();

    public VersionUsageReport {
        versions = List.copyOf(versions);
        clients = List.copyOf(clients);
    }

    /** The same report with only the clients of versions that are deprecated or sunset. */
    public VersionUsageReport deprecatedOnly() {
        return new VersionUsageReport(generatedAt, defaultVersion, versions,
                clients.stream().filter(c -> c.status() != VersionStatus.ACTIVE).toList());
    }

    /** The report as JSON (dates ISO-8601). */
    public String toJson() {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("generatedAt", generatedAt.toString());
            if (defaultVersion != null) {
                g.writeStringField("defaultVersion", defaultVersion);
            }
            g.writeArrayFieldStart("versions");
            for (VersionInfo v : versions) {
                g.writeStartObject();
                g.writeStringField("id", v.id());
                g.writeStringField("status", v.status().id());
                date(g, "release", v.release());
                date(g, "deprecation", v.deprecation());
                date(g, "sunset", v.sunset());
                if (v.successor() != null) {
                    g.writeStringField("successor", v.successor());
                }
                if (v.migrationGuide() != null) {
                    g.writeStringField("migrationGuide", v.migrationGuide());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("clients");
            for (ClientUsage c : clients) {
                g.writeStartObject();
                g.writeStringField("client", c.client());
                g.writeStringField("version", c.version());
                g.writeStringField("status", c.status().id());
                date(g, "sunset", c.sunset());
                if (c.successor() != null) {
                    g.writeStringField("successor", c.successor());
                }
                g.writeNumberField("calls", c.calls());
                g.writeStringField("firstSeen", c.firstSeen().toString());
                g.writeStringField("lastSeen", c.lastSeen().toString());
                g.writeObjectFieldStart("routes");
                for (Map.Entry<String, Long> r : c.routes().entrySet()) {
                    g.writeNumberField(r.getKey(), r.getValue());
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void date(JsonGenerator g, String name, Instant t) throws IOException {
        if (t != null) {
            g.writeStringField(name, t.toString());
        }
    }

    /**
     * One version of the catalogue.
     *
     * @param migrationGuide the guide's URI as text, or {@code null}
     */
    public record VersionInfo(String id, VersionStatus status, Instant release, Instant deprecation, Instant sunset,
                              String successor, String migrationGuide) {
    }

    /**
     * One client's calls of one version.
     *
     * @param client {@code api-key:<id>}, {@code sub:<subject>}, {@code ip:<address>} or {@code (other)}
     * @param status the version's status when the report was made
     * @param sunset the version's sunset, or {@code null}
     * @param successor the version's successor, or {@code null}
     * @param calls calls counted
     * @param firstSeen the first call counted
     * @param lastSeen the last call counted
     * @param routes calls by route id
     */
    public record ClientUsage(String client, String version, VersionStatus status, Instant sunset, String successor,
                              long calls, Instant firstSeen, Instant lastSeen, Map<String, Long> routes) {
        public ClientUsage {
            routes = Collections.unmodifiableMap(new LinkedHashMap<>(routes));
        }
    }
}
