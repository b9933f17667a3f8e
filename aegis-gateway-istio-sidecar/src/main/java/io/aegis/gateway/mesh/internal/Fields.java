package io.aegis.gateway.mesh.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.gateway.mesh.MeshConfigException;
import io.aegis.gateway.ratelimit.Limit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reads of one object of a descriptor, each error naming the field's path
 * ({@code traffic.retry.max-attempts}) and what was expected. Unknown keys are errors: a
 * misspelt key must not be silently ignored.
 */
public final class Fields {

    private final JsonNode node;
    private final String path;

    private Fields(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The root object of a descriptor. */
    public static Fields root(JsonNode node) {
        if (!node.isObject()) {
            throw new MeshConfigException("(root)", node.getNodeType() + " (expected: a mapping of descriptor keys)");
        }
        return new Fields(node, "");
    }

    public String path() {
        return path;
    }

    private String at(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * Refuses keys outside {@code allowed}.
     *
     * @throws MeshConfigException naming the first unknown key and the allowed ones
     */
    public Fields only(String... allowed) {
        Set<String> ok = Set.of(allowed);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            if (!ok.contains(n)) {
                throw new MeshConfigException(at(n), "unknown key (expected one of: " + String.join(", ", new TreeSet<>(ok)) + ")");
            }
        }
        return this;
    }

    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** A nested object, or an empty one when absent. */
    public Fields object(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return new Fields(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(), at(key));
        }
        if (!v.isObject()) {
            throw new MeshConfigException(at(key), v.getNodeType() + " (expected: a mapping)");
        }
        return new Fields(v, at(key));
    }

    /** Each element of a list of objects, with a path naming it by {@code idKey} (or its index). */
    public List<Fields> objects(String key, String idKey) {
        List<Fields> out = new ArrayList<>();
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new MeshConfigException(at(key), v.getNodeType() + " (expected: a list)");
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            JsonNode id = e.get(idKey);
            String name = id != null && id.isValueNode() ? id.asText() : String.valueOf(i);
            if (!e.isObject()) {
                throw new MeshConfigException(at(key) + "[" + name + "]", e.getNodeType() + " (expected: a mapping)");
            }
            out.add(new Fields(e, at(key) + "[" + name + "]"));
        }
        return out;
    }

    /** A required string. */
    public String string(String key) {
        String s = stringOr(key, null);
        if (s == null) {
            throw new MeshConfigException(at(key), "missing (expected: a value)");
        }
        return s;
    }

    public String stringOr(String key, String defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isValueNode()) {
            throw new MeshConfigException(at(key), v.getNodeType() + " (expected: a single value)");
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw new MeshConfigException(at(key), "'' (expected: a non-empty value)");
        }
        return s;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isValueNode()) {
            throw new MeshConfigException(at(key), v.getNodeType() + " (expected: a whole number " + min + " to " + max + ")");
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() && !v.asText().matches("-?[0-9]+")) {
            throw new MeshConfigException(at(key), "'" + v.asText() + "' (expected: a whole number " + min + " to " + max + ")");
        }
        int n = v.isIntegralNumber() ? v.asInt() : Integer.parseInt(v.asText());
        if (n < min || n > max) {
            throw new MeshConfigException(at(key), n + " (expected: " + min + " to " + max + ")");
        }
        return n;
    }

    public double number(String key, double defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isNumber()) {
            throw new MeshConfigException(at(key), "'" + v.asText() + "' (expected: a number)");
        }
        return v.asDouble();
    }

    public boolean bool(String key, boolean defaultValue) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return defaultValue;
        }
        if (!v.isBoolean()) {
            throw new MeshConfigException(at(key), "'" + v.asText() + "' (expected: true or false)");
        }
        return v.asBoolean();
    }

    /** A duration such as {@code 250ms}, {@code 2s}, {@code 5m} or {@code PT1M}. */
    public Duration duration(String key, Duration defaultValue) {
        String s = stringOr(key, null);
        if (s == null) {
            return defaultValue;
        }
        try {
            return Limit.parseDuration(s);
        } catch (IllegalArgumentException e) {
            throw new MeshConfigException(at(key), "'" + s + "' (expected: a duration such as 250ms, 2s or 5m)", e);
        }
    }

    /** A list of strings (a single string is a list of one); empty when absent. */
    public List<String> strings(String key) {
        JsonNode v = node.get(key);
        List<String> out = new ArrayList<>();
        if (v == null || v.isNull()) {
            return out;
        }
        if (v.isValueNode()) {
            out.add(v.asText().trim());
            return out;
        }
        if (!v.isArray()) {
            throw new MeshConfigException(at(key), v.getNodeType() + " (expected: a list)");
        }
        for (JsonNode e : v) {
            if (!e.isValueNode() || e.isNull()) {
                throw new MeshConfigException(at(key), e.getNodeType() + " in the list (expected: single values)");
            }
            out.add(e.asText().trim());
        }
        return out;
    }

    /** A mapping of single values, in order. */
    public Map<String, String> stringMap(String key) {
        Map<String, String> out = new LinkedHashMap<>();
        Fields f = object(key);
        f.node.properties().forEach(e -> {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                throw new MeshConfigException(f.at(e.getKey()), e.getValue().getNodeType() + " (expected: a single value)");
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    /** Applies a parser to a string value, naming the field when it throws. */
    public <T> T parse(String key, java.util.function.Function<String, T> parser, T defaultValue, String expected) {
        String s = stringOr(key, null);
        if (s == null) {
            return defaultValue;
        }
        try {
            return parser.apply(s);
        } catch (MeshConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new MeshConfigException(at(key), "'" + s + "' (expected: " + expected + ")", e);
        }
    }

    /** Runs a constructor-like call, prefixing the field path of this object to its errors when they have none. */
    public <T> T build(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (MeshConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MeshConfigException(path.isEmpty() ? "(root)" : path, e.getMessage(), e);
        }
    }
}
