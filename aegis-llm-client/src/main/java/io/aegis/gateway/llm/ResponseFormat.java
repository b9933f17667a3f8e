package io.aegis.gateway.llm;

/**
 * The shape of the answer: free text, any JSON object, or JSON matching a schema.
 *
 * @param json whether the answer must be JSON
 * @param schema a JSON Schema (text) the answer must match, or {@code null}
 */
public record ResponseFormat(boolean json, String schema) {

    private static final ResponseFormat TEXT = new ResponseFormat(false, null);
    private static final ResponseFormat JSON = new ResponseFormat(true, null);

    public ResponseFormat {
        if (schema != null && !json) {
            throw new IllegalArgumentException("schema: set (expected: only with json=true)");
        }
    }

    /** Free text (the default). */
    public static ResponseFormat text() {
        return TEXT;
    }

    /** Any JSON object. */
    public static ResponseFormat jsonObject() {
        return JSON;
    }

    /** JSON that matches this JSON Schema. */
    public static ResponseFormat jsonSchema(String schema) {
        if (schema == null || schema.isBlank()) {
            throw new IllegalArgumentException("schema: blank (expected: a JSON Schema object)");
        }
        return new ResponseFormat(true, schema);
    }
}
