package io.aegis.gateway.llm;

import java.util.Objects;

/**
 * A function the model may call.
 *
 * @param name the function name ({@code [A-Za-z0-9_-]{1,64}})
 * @param description what it does, for the model
 * @param parametersSchema a JSON Schema object (text) describing the arguments
 */
public record ToolDefinition(String name, String description, String parametersSchema) {
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("tool name: '" + name + "' (expected: 1-64 letters, digits, '_' or '-')");
        }
        description = description == null ? "" : description;
        parametersSchema = parametersSchema == null || parametersSchema.isBlank()
                ? "{\"type\":\"object\",\"properties\":{}}" : parametersSchema;
    }
}
