package io.aegis.gateway.llm.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.internal.Json;
import io.aegis.gateway.llm.internal.JsonSchema;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** The built-in validators. Each is immutable and thread-safe. */
public final class Validators {

    private Validators() {
    }

    private static ResponseValidator named(String name, ResponseValidator v) {
        return new ResponseValidator() {
            @Override
            public Optional<String> validate(LlmRequest request, LlmResponse response) {
                return v.validate(request, response);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /** The answer has text that is not only whitespace, or at least one tool call. */
    public static ResponseValidator nonEmpty() {
        return named("non-empty", (req, r) -> r.content().isBlank() && r.toolCalls().isEmpty()
                ? Optional.of("empty answer") : Optional.empty());
    }

    /**
     * When the request asked for JSON: the answer parses as JSON and, when the request carried a
     * schema, matches it. Requests that asked for text pass.
     */
    public static ResponseValidator jsonAsRequested() {
        return named("json", (req, r) -> {
            if (!req.responseFormat().json() || !r.toolCalls().isEmpty()) {
                return Optional.empty();
            }
            JsonNode n = Json.parseOrNull(stripFence(r.content()));
            if (n == null) {
                return Optional.of("answer is not JSON");
            }
            if (req.responseFormat().schema() == null) {
                return Optional.empty();
            }
            List<String> errors = JsonSchema.compile(req.responseFormat().schema()).validate(n);
            return errors.isEmpty() ? Optional.empty() : Optional.of("answer does not match the schema: " + errors.get(0));
        });
    }

    /**
     * The answer is JSON matching this schema (a subset of JSON Schema 2020-12: type, properties,
     * required, additionalProperties, items, enum, const, min/maxLength, minimum/maximum,
     * min/maxItems, pattern).
     *
     * @throws IllegalArgumentException when the schema is not a JSON object
     */
    public static ResponseValidator jsonSchema(String schema) {
        JsonSchema compiled = JsonSchema.compile(schema);
        return named("json-schema", (req, r) -> {
            JsonNode n = Json.parseOrNull(stripFence(r.content()));
            if (n == null) {
                return Optional.of("answer is not JSON");
            }
            List<String> errors = compiled.validate(n);
            return errors.isEmpty() ? Optional.empty() : Optional.of("answer does not match the schema: " + errors.get(0));
        });
    }

    /** The answer has between {@code min} and {@code max} characters (code points). */
    public static ResponseValidator length(int min, int max) {
        if (min < 0 || max < min) {
            throw new IllegalArgumentException("length: " + min + ".." + max + " (expected: 0 <= min <= max)");
        }
        return named("length", (req, r) -> {
            int n = r.content().codePointCount(0, r.content().length());
            return n < min || n > max ? Optional.of("answer has " + n + " characters (expected: " + min + ".." + max + ")")
                    : Optional.empty();
        });
    }

    /**
     * The answer contains none of these words or phrases, compared case-insensitively after Unicode
     * NFKC normalisation with zero-width and format characters removed (so full-width letters or a
     * zero-width space inside a word do not hide it).
     */
    public static ResponseValidator banned(List<String> phrases) {
        List<String> normalised = new ArrayList<>();
        for (String p : phrases) {
            if (p == null || p.isBlank()) {
                throw new IllegalArgumentException("banned phrase: blank (expected: words or phrases)");
            }
            normalised.add(normalise(p));
        }
        return named("banned-content", (req, r) -> {
            String text = normalise(r.content());
            for (int i = 0; i < normalised.size(); i++) {
                if (text.contains(normalised.get(i))) {
                    return Optional.of("answer contains banned content (" + phrases.get(i) + ")");
                }
            }
            return Optional.empty();
        });
    }

    /** The answer matches none of these regular expressions. */
    public static ResponseValidator bannedPatterns(List<Pattern> patterns) {
        List<Pattern> list = List.copyOf(patterns);
        return named("banned-pattern", (req, r) -> {
            for (Pattern p : list) {
                if (p.matcher(r.content()).find()) {
                    return Optional.of("answer matches a banned pattern (" + p.pattern() + ")");
                }
            }
            return Optional.empty();
        });
    }

    /** A custom check; {@code reason} explains a failure. */
    public static ResponseValidator predicate(String name, Predicate<LlmResponse> accept, String reason) {
        Objects.requireNonNull(accept, "accept");
        return named(name, (req, r) -> accept.test(r) ? Optional.empty() : Optional.of(reason));
    }

    private static String normalise(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(n.length());
        n.codePoints().filter(c -> Character.getType(c) != Character.FORMAT).forEach(b::appendCodePoint);
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** Models often wrap JSON in a Markdown code fence; the fence is not part of the value. */
    static String stripFence(String s) {
        String t = s.strip();
        if (t.startsWith("```")) {
            int nl = t.indexOf('\n');
            if (nl > 0 && t.endsWith("```")) {
                return t.substring(nl + 1, t.length() - 3).strip();
            }
        }
        return t;
    }
}
