package io.aegis.gateway.mesh.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * YAML in and out. Documents are written from ordered maps and lists, so key order is the order
 * the projections put them in; strings that YAML would read as another type ({@code "3.0"},
 * {@code "8080"}, {@code "true"}) are quoted. Thread-safe.
 */
public final class Yaml {

    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .disable(YAMLGenerator.Feature.SPLIT_LINES)
            .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
            .build())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // A key written twice is a mistake, not "the last one wins".
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Yaml() {
    }

    /** Parses one YAML document into a tree (an empty text gives an empty object). */
    public static JsonNode read(String text) throws JsonProcessingException {
        JsonNode n = MAPPER.readTree(text);
        return n == null || n.isMissingNode() || n.isNull() ? MAPPER.createObjectNode() : n;
    }

    /** Parses every document of a multi-document YAML text. */
    public static List<JsonNode> readAll(String text) {
        try (var parser = MAPPER.getFactory().createParser(text)) {
            Iterator<JsonNode> it = MAPPER.readValues(parser, JsonNode.class);
            List<JsonNode> out = new java.util.ArrayList<>();
            it.forEachRemaining(n -> {
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    out.add(n);
                }
            });
            return out;
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes documents, each starting with {@code ---}. */
    public static String write(List<?> documents) {
        StringBuilder sb = new StringBuilder();
        for (Object d : documents) {
            try {
                sb.append(MAPPER.writeValueAsString(d));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sb.toString();
    }

    /** Writes one document. */
    public static String write(Map<String, ?> document) {
        return write(List.of(document));
    }

    /** A tree as ordered maps and lists (for rewriting a generated document). */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toMap(JsonNode node) {
        return MAPPER.convertValue(node, Map.class);
    }

    /** A deep copy of {@code base} with {@code overlay} laid over it: objects merge, anything else replaces. */
    public static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (!(base instanceof ObjectNode b) || !(overlay instanceof ObjectNode o)) {
            return overlay.deepCopy();
        }
        ObjectNode out = b.deepCopy();
        o.properties().forEach(e -> {
            JsonNode existing = out.get(e.getKey());
            out.set(e.getKey(), existing == null ? e.getValue().deepCopy() : merge(existing, e.getValue()));
        });
        return out;
    }
}
