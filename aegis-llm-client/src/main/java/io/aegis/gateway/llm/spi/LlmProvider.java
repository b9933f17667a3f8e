package io.aegis.gateway.llm.spi;

import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.StreamEvent;
import io.aegis.gateway.llm.UnstableApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/**
 * One LLM provider endpoint with one credential: translates the neutral request into its wire
 * format and its answers and errors back. Providers do not retry, fail over, cache or account for
 * cost: the client does that around them.
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #complete} completes with a response (usage filled, {@code estimated} when the
 *       provider reported none; no cost) or exceptionally with an {@link LlmException} classified by
 *       {@link io.aegis.gateway.llm.LlmErrorKind}.</li>
 *   <li>{@link #stream} is cold (each subscription is one call) and honours demand: it reads from the
 *       network only as far as the subscriber requested. It emits {@code Delta}, {@code ToolCallDelta},
 *       one {@code UsageReport} and one {@code Done}, then completes; a failure is {@code onError} with
 *       an {@link LlmException} (no {@code Failed} event at this level). Cancelling closes the
 *       HTTP stream. A stream that ends without the provider's end marker fails with
 *       {@code STREAM_INTERRUPTED}; a gap longer than the idle timeout fails with {@code TIMEOUT}.</li>
 * </ul>
 * Implementations are thread-safe.
 */
@UnstableApi
public interface LlmProvider extends AutoCloseable {

    /** The configured name, unique within a client ({@code openai}, {@code local-vllm}). */
    String name();

    /** The OpenTelemetry {@code gen_ai.provider.name} ({@code openai}, {@code anthropic}, {@code gcp.gemini}, ...). */
    String genAiProviderName();

    /** The model used when a route names none. */
    String defaultModel();

    /** A short hash of the credential ({@code none} without one), safe to log: breakers are per credential. */
    String credentialId();

    /** Whether a trailing assistant message is continued by the model (prefill). */
    boolean supportsPrefill();

    /** One non-streamed call. */
    CompletableFuture<LlmResponse> complete(LlmRequest request, String model);

    /** One streamed call (cold publisher). */
    Flow.Publisher<StreamEvent> stream(LlmRequest request, String model);

    /** Releases connections and threads. */
    @Override
    default void close() {
    }
}
