package io.aegis.gateway.llm;

import java.util.Objects;

/**
 * A function call the model asked for.
 *
 * @param id the provider's call id (synthesised as {@code call_<n>} for providers without ids)
 * @param name the function name
 * @param arguments the arguments as a JSON object text, exactly as the model wrote them
 */
public record ToolCall(String id, String name, String arguments) {
    public ToolCall {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        arguments = arguments == null || arguments.isBlank() ? "{}" : arguments;
    }
}
