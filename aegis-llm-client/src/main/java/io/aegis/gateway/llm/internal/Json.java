package io.aegis.gateway.llm.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Jackson helpers shared by the wire formats. */
public final class Json {

    /** Strict about trailing content: {@code {"a":1} trailing} is not JSON. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private Json() {
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    public static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /** Parses JSON text; {@code null} when it is not JSON. */
    public static JsonNode parseOrNull(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** Parses JSON bytes; {@code null} when they are not JSON. */
    public static JsonNode parseOrNull(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses a JSON value that must be there. @throws IllegalArgumentException naming what failed */
    public static JsonNode parse(String text, String what) {
        JsonNode n = parseOrNull(text);
        if (n == null) {
            throw new IllegalArgumentException(what + ": not valid JSON");
        }
        return n;
    }

    public static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String text(JsonNode node) {
        return new String(bytes(node), StandardCharsets.UTF_8);
    }

    /** A text field, or {@code null} when missing or JSON null. */
    public static String str(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A whole-number field, or {@code -1} when missing. */
    public static long num(JsonNode node, String field) {
        if (node == null) {
            return -1;
        }
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? -1 : v.asLong();
    }

    /** A whole-number field, or 0 when missing. */
    public static long count(JsonNode node, String field) {
        return Math.max(0, num(node, field));
    }
}
