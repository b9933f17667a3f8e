package io.aegis.gateway.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A small JSON Schema checker for answer validation: {@code type} (one or a list), {@code properties},
 * {@code required}, {@code additionalProperties} (boolean or schema), {@code items}, {@code enum},
 * {@code const}, {@code minLength}/{@code maxLength}, {@code minimum}/{@code maximum},
 * {@code minItems}/{@code maxItems}, {@code pattern}. Unknown keywords are ignored (as the
 * specification says for annotations). Nesting is limited to 64 levels. Compiled once, immutable.
 */
public final class JsonSchema {

    private static final int MAX_DEPTH = 64;

    private final JsonNode schema;
    private final Map<String, Pattern> patterns = new java.util.concurrent.ConcurrentHashMap<>();

    private JsonSchema(JsonNode schema) {
        this.schema = schema;
    }

    /** @throws IllegalArgumentException when the text is not a JSON object */
    public static JsonSchema compile(String text) {
        JsonNode n = Json.parseOrNull(text);
        if (n == null || !(n.isObject() || n.isBoolean())) {
            throw new IllegalArgumentException("schema: not a JSON object (expected: a JSON Schema)");
        }
        return new JsonSchema(n);
    }

    /** The violations, each with its JSON pointer; empty when the value matches. */
    public List<String> validate(JsonNode value) {
        List<String> errors = new ArrayList<>();
        check(schema, value, "", errors, 0);
        return errors;
    }

    private void check(JsonNode s, JsonNode v, String at, List<String> errors, int depth) {
        if (depth > MAX_DEPTH) {
            errors.add(at + ": nested deeper than " + MAX_DEPTH);
            return;
        }
        if (s.isBoolean()) {
            if (!s.asBoolean()) {
                errors.add(at + ": no value allowed");
            }
            return;
        }
        JsonNode type = s.get("type");
        if (type != null && !typeMatches(type, v)) {
            errors.add(pointer(at) + ": expected " + type + ", got " + typeOf(v));
            return;
        }
        JsonNode en = s.get("enum");
        if (en != null && en.isArray()) {
            boolean found = false;
            for (JsonNode e : en) {
                found |= equal(e, v);
            }
            if (!found) {
                errors.add(pointer(at) + ": not one of " + en);
            }
        }
        JsonNode c = s.get("const");
        if (c != null && !equal(c, v)) {
            errors.add(pointer(at) + ": expected " + c);
        }
        if (v.isTextual()) {
            int len = v.asText().codePointCount(0, v.asText().length());
            if (s.has("minLength") && len < s.get("minLength").asInt()) {
                errors.add(pointer(at) + ": shorter than " + s.get("minLength").asInt());
            }
            if (s.has("maxLength") && len > s.get("maxLength").asInt()) {
                errors.add(pointer(at) + ": longer than " + s.get("maxLength").asInt());
            }
            if (s.has("pattern")) {
                Pattern p = pattern(s.get("pattern").asText());
                if (p != null && !p.matcher(v.asText()).find()) {
                    errors.add(pointer(at) + ": does not match " + s.get("pattern").asText());
                }
            }
        }
        if (v.isNumber()) {
            if (s.has("minimum") && v.decimalValue().compareTo(s.get("minimum").decimalValue()) < 0) {
                errors.add(pointer(at) + ": less than " + s.get("minimum"));
            }
            if (s.has("maximum") && v.decimalValue().compareTo(s.get("maximum").decimalValue()) > 0) {
                errors.add(pointer(at) + ": more than " + s.get("maximum"));
            }
        }
        if (v.isArray()) {
            if (s.has("minItems") && v.size() < s.get("minItems").asInt()) {
                errors.add(pointer(at) + ": fewer than " + s.get("minItems").asInt() + " items");
            }
            if (s.has("maxItems") && v.size() > s.get("maxItems").asInt()) {
                errors.add(pointer(at) + ": more than " + s.get("maxItems").asInt() + " items");
            }
            JsonNode items = s.get("items");
            if (items != null && (items.isObject() || items.isBoolean())) {
                for (int i = 0; i < v.size(); i++) {
                    check(items, v.get(i), at + "/" + i, errors, depth + 1);
                }
            }
        }
        if (v.isObject()) {
            JsonNode props = s.path("properties");
            for (JsonNode r : s.path("required")) {
                if (!v.has(r.asText())) {
                    errors.add(pointer(at) + ": missing required property '" + r.asText() + "'");
                }
            }
            JsonNode additional = s.get("additionalProperties");
            for (Map.Entry<String, JsonNode> e : v.properties()) {
                String child = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                JsonNode ps = props.get(e.getKey());
                if (ps != null) {
                    check(ps, e.getValue(), child, errors, depth + 1);
                } else if (additional != null) {
                    if (additional.isBoolean() && !additional.asBoolean()) {
                        errors.add(pointer(at) + ": property '" + e.getKey() + "' is not allowed");
                    } else if (additional.isObject()) {
                        check(additional, e.getValue(), child, errors, depth + 1);
                    }
                }
            }
        }
    }

    private Pattern pattern(String regex) {
        try {
            return patterns.computeIfAbsent(regex, Pattern::compile);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    private static String pointer(String at) {
        return at.isEmpty() ? "/" : at;
    }

    private static boolean equal(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, v)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "number" -> v.isNumber();
            case "integer" -> v.isIntegralNumber() || v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0;
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> true;
        };
    }

    private static String typeOf(JsonNode v) {
        if (v.isObject()) {
            return "object";
        }
        if (v.isArray()) {
            return "array";
        }
        if (v.isTextual()) {
            return "string";
        }
        if (v.isIntegralNumber()) {
            return "integer";
        }
        if (v.isNumber()) {
            return "number";
        }
        if (v.isBoolean()) {
            return "boolean";
        }
        return "null";
    }
}
