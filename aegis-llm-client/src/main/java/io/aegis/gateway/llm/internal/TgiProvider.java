package io.aegis.gateway.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aegis.gateway.llm.FinishReason;
import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.Message;
import io.aegis.gateway.llm.ProviderSettings;
import io.aegis.gateway.llm.StreamEvent;
import io.aegis.gateway.llm.Usage;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Hugging Face Text Generation Inference {@code /generate} and {@code /generate_stream}: a raw
 * prompt (rendered here with a Zephyr-style {@code <|system|>/<|user|>/<|assistant|>} template;
 * models with another chat template should use the OpenAI-compatible {@code /v1/chat/completions}
 * through the {@code huggingface} format instead), {@code data:} without a space, end of body as
 * terminator, {@code {error, error_type}} errors. Input tokens come from the stream's
 * {@code input_length}; the non-streamed answer has none, so they are estimated.
 */
public final class TgiProvider extends HttpProvider {

    public TgiProvider(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        super(settings, scheduler, clock);
    }

    @Override
    public boolean supportsPrefill() {
        return true;
    }

    @Override
    protected URI uri(String model, boolean stream) {
        return URI.create(url(stream ? "/generate_stream" : "/generate"));
    }

    @Override
    protected void headers(HttpRequest.Builder b) {
        if (settings.hasApiKey()) {
            b.header("Authorization", "Bearer " + settings.apiKey());
        }
    }

    /** The raw prompt: a trailing assistant message is left open, so the model continues it. */
    static String prompt(List<Message> messages) {
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            boolean last = i == messages.size() - 1;
            String tag = switch (m.role()) {
                case SYSTEM -> "<|system|>";
                case USER, TOOL -> "<|user|>";
                case ASSISTANT -> "<|assistant|>";
            };
            p.append(tag).append('\n').append(m.content());
            if (!(last && m.role() == io.aegis.gateway.llm.Role.ASSISTANT)) {
                p.append('\n');
            }
        }
        Message last = messages.get(messages.size() - 1);
        if (last.role() != io.aegis.gateway.llm.Role.ASSISTANT) {
            p.append("<|assistant|>\n");
        }
        return p.toString();
    }

    @Override
    protected ObjectNode body(LlmRequest request, String model, boolean stream) {
        if (!request.tools().isEmpty()) {
            throw new LlmException(LlmErrorKind.BAD_REQUEST, name() + ": TGI /generate takes no tools"
                    + " (expected: the huggingface format, TGI's /v1/chat/completions)", name(), model, 0, null, null, null, null);
        }
        ObjectNode b = Json.object();
        b.put("inputs", prompt(request.messages()));
        ObjectNode p = b.putObject("parameters");
        p.put("max_new_tokens", request.maxTokensOrDefault());
        if (request.temperature() != null && request.temperature() > 0) {
            p.put("temperature", request.temperature());
            p.put("do_sample", true);
        } else {
            p.put("do_sample", false);
        }
        if (request.topP() != null && request.topP() < 1.0) {
            p.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode s = p.putArray("stop");
            request.stop().forEach(s::add);
        }
        p.put("details", true);
        p.put("return_full_text", false);
        return b;
    }

    @Override
    protected LlmResponse parse(JsonNode json, LlmRequest request, String model) {
        JsonNode r = json.isArray() && !json.isEmpty() ? json.get(0) : json;
        if (r.has("error")) {
            throw classify(200, HttpHeaders.of(java.util.Map.of(), (x, y) -> true), Json.bytes(r), model);
        }
        String text = Json.str(r, "generated_text");
        JsonNode details = r.path("details");
        long out = Json.num(details, "generated_tokens");
        Usage usage = Usage.estimated(TokenEstimator.estimateInput(request),
                out >= 0 ? out : TokenEstimator.estimateText(text));
        return LlmResponse.builder().content(text).finishReason(finish(Json.str(details, "finish_reason"))).usage(usage)
                .provider(name()).requestModel(model).build();
    }

    static FinishReason finish(String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case "length" -> FinishReason.LENGTH;
            case "eos_token", "stop_sequence" -> FinishReason.STOP;
            default -> FinishReason.OTHER;
        };
    }

    @Override
    protected Decoder decoder(Consumer<StreamEvent> sink, LlmRequest request, String model) {
        long estimated = TokenEstimator.estimateInput(request);
        return new Decoder(new Accumulator(sink, estimated), name(), model) {
            private final SseParser sse = new SseParser(MAX_LINE_BYTES, this::event);

            @Override
            public void feed(ByteBuffer chunk) {
                sse.feed(chunk);
            }

            private void event(SseParser.Event e) {
                JsonNode json = Json.parseOrNull(e.data());
                if (json == null || !json.isObject() || finished()) {
                    return;
                }
                if (json.has("error")) {
                    String type = Json.str(json, "error_type");
                    throw inBand(kindOf(type, Json.str(json, "error"), 0), type, Json.str(json, "error"));
                }
                JsonNode token = json.path("token");
                if (!token.path("special").asBoolean(false)) {
                    acc.text(Json.str(token, "text"));
                }
                JsonNode details = json.get("details");
                if (details != null && !details.isNull() || json.hasNonNull("generated_text")) {
                    JsonNode d = details == null ? Json.object() : details;
                    acc.finish(finish(Json.str(d, "finish_reason")));
                    long in = Json.num(d, "input_length");
                    long out = Json.num(d, "generated_tokens");
                    long outTokens = out >= 0 ? out : TokenEstimator.estimateText(acc.content());
                    acc.usage(in >= 0 && out >= 0 ? Usage.of(in, outTokens)
                            : Usage.estimated(in >= 0 ? in : estimated, outTokens));
                    markFinished();
                }
            }
        };
    }

    static LlmErrorKind kindOf(String type, String message, int status) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (type == null) {
            return status == 0 ? LlmErrorKind.SERVER_ERROR : Errors.byStatus(status);
        }
        return switch (type) {
            case "overloaded" -> LlmErrorKind.OVERLOADED;
            case "validation" -> m.contains("tokens") && (m.contains("must be <=") || m.contains("exceed"))
                    ? LlmErrorKind.CONTEXT_TOO_LONG : LlmErrorKind.BAD_REQUEST;
            case "generation", "incomplete_generation" -> LlmErrorKind.SERVER_ERROR;
            default -> status == 0 ? LlmErrorKind.SERVER_ERROR : Errors.byStatus(status);
        };
    }

    @Override
    protected LlmException classify(int status, HttpHeaders headers, byte[] body, String model) {
        JsonNode json = Json.parseOrNull(body);
        String type = Json.str(json, "error_type");
        String message = json != null && json.has("error") ? json.path("error").asText() : new String(body, StandardCharsets.UTF_8);
        LlmErrorKind kind = kindOf(type, message, status);
        return new LlmException(kind, name() + "/" + model + ": HTTP " + status + (type == null ? "" : " " + type) + ": "
                + Errors.brief(message), name(), model, status, type, Errors.retryAfter(headers, clock), null, null);
    }
}
