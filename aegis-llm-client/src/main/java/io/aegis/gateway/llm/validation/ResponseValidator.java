package io.aegis.gateway.llm.validation;

import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import java.util.Optional;

/**
 * Checks an answer. Returns a reason when it is unacceptable (the client then tries the next
 * candidate), empty when it passes. Implementations are thread-safe and quick; they never call out.
 */
@FunctionalInterface
public interface ResponseValidator {

    Optional<String> validate(LlmRequest request, LlmResponse response);

    /** A short name for metrics and messages. */
    default String name() {
        return getClass().getSimpleName();
    }
}
