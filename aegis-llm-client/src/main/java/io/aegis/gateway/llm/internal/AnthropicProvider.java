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
import io.aegis.gateway.llm.ToolCall;
import io.aegis.gateway.llm.ToolDefinition;
import io.aegis.gateway.llm.Usage;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Anthropic Messages: {@code x-api-key} and {@code anthropic-version} headers, top-level
 * {@code system}, required {@code max_tokens}, content blocks, named SSE events ending with
 * {@code message_stop}, cumulative output usage in {@code message_delta}, in-band {@code error}
 * events, 529 overloaded. A trailing assistant message is a prefill the model continues.
 */
public final class AnthropicProvider extends HttpProvider {

    public AnthropicProvider(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        super(settings, scheduler, clock);
    }

    @Override
    public boolean supportsPrefill() {
        return true;
    }

    @Override
    protected URI uri(String model, boolean stream) {
        return URI.create(url("/v1/messages"));
    }

    @Override
    protected void headers(HttpRequest.Builder b) {
        if (settings.hasApiKey()) {
            b.header("x-api-key", settings.apiKey());
        }
        b.header("anthropic-version", settings.anthropicVersion());
    }

    @Override
    protected ObjectNode body(LlmRequest request, String model, boolean stream) {
        ObjectNode b = Json.object();
        b.put("model", model);
        b.put("max_tokens", request.maxTokensOrDefault());
        StringBuilder system = new StringBuilder();
        ArrayNode messages = Json.array();
        List<Message> list = request.messages();
        for (int i = 0; i < list.size(); i++) {
            Message m = list.get(i);
            boolean last = i == list.size() - 1;
            switch (m.role()) {
                case SYSTEM -> system.append(system.length() == 0 ? "" : "\n\n").append(m.content());
                case USER -> messages.addObject().put("role", "user").put("content", m.content());
                case TOOL -> {
                    ObjectNode block = messages.addObject().put("role", "user").putArray("content").addObject();
                    block.put("type", "tool_result").put("tool_use_id", m.toolCallId()).put("content", m.content());
                }
                case ASSISTANT -> {
                    ObjectNode o = messages.addObject().put("role", "assistant");
                    if (m.toolCalls().isEmpty()) {
                        // A trailing assistant turn is a prefill; Anthropic refuses trailing whitespace in it.
                        o.put("content", last ? m.content().stripTrailing() : m.content());
                    } else {
                        ArrayNode blocks = o.putArray("content");
                        if (!m.content().isEmpty()) {
                            blocks.addObject().put("type", "text").put("text", m.content());
                        }
                        for (ToolCall c : m.toolCalls()) {
                            ObjectNode use = blocks.addObject().put("type", "tool_use").put("id", c.id()).put("name", c.name());
                            use.set("input", Json.parse(c.arguments(), "arguments of tool call " + c.id()));
                        }
                    }
                }
                default -> throw new IllegalStateException("role " + m.role());
            }
        }
        if (request.responseFormat().json()) {
            system.append(system.length() == 0 ? "" : "\n\n").append("Answer with one JSON object and nothing else.");
            if (request.responseFormat().schema() != null) {
                system.append(" It must match this JSON Schema: ").append(request.responseFormat().schema());
            }
        }
        if (system.length() > 0) {
            b.put("system", system.toString());
        }
        b.set("messages", messages);
        if (request.temperature() != null) {
            b.put("temperature", Math.min(1.0, request.temperature()));
        }
        if (request.topP() != null) {
            b.put("top_p", request.topP());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode s = b.putArray("stop_sequences");
            request.stop().forEach(s::add);
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = b.putArray("tools");
            for (ToolDefinition t : request.tools()) {
                ObjectNode o = tools.addObject().put("name", t.name()).put("description", t.description());
                o.set("input_schema", Json.parse(t.parametersSchema(), "parameters of tool " + t.name()));
            }
        }
        b.put("stream", stream);
        return b;
    }

    @Override
    protected LlmResponse parse(JsonNode json, LlmRequest request, String model) {
        if ("error".equals(Json.str(json, "type"))) {
            throw classify(200, HttpHeaders.of(Map.of(), (x, y) -> true), Json.bytes(json), model);
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : json.path("content")) {
            switch (block.path("type").asText()) {
                case "text" -> text.append(block.path("text").asText());
                case "tool_use" -> calls.add(new ToolCall(block.path("id").asText(), block.path("name").asText(),
                        Json.text(block.path("input"))));
                default -> {
                    // thinking, redacted_thinking, server tool blocks: not part of the answer text
                }
            }
        }
        Usage usage = usage(json.get("usage"), null);
        if (usage == null) {
            usage = Usage.estimated(TokenEstimator.estimateInput(request), TokenEstimator.estimateText(text.toString()));
        }
        return LlmResponse.builder().content(text.toString()).toolCalls(calls)
                .finishReason(finish(Json.str(json, "stop_reason"))).usage(usage).provider(name()).requestModel(model)
                .model(Json.str(json, "model")).build();
    }

    /** Anthropic's input_tokens exclude cache reads and writes: they are added back into the input here. */
    static Usage usage(JsonNode u, Usage base) {
        if (u == null || !u.isObject()) {
            return base;
        }
        long uncached = Json.num(u, "input_tokens");
        long write = Json.num(u, "cache_creation_input_tokens");
        long read = Json.num(u, "cache_read_input_tokens");
        long out = Json.num(u, "output_tokens");
        long in;
        long w;
        long r;
        if (uncached < 0 && base != null) {
            in = base.inputTokens();
            w = base.cacheWriteTokens();
            r = base.cacheReadTokens();
        } else {
            w = Math.max(0, write);
            r = Math.max(0, read);
            in = Math.max(0, uncached) + w + r;
        }
        long o = out >= 0 ? out : base == null ? 0 : base.outputTokens();
        return new Usage(in, o, r, w, 0, false);
    }

    static FinishReason finish(String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case "end_turn", "stop_sequence" -> FinishReason.STOP;
            case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
            case "tool_use" -> FinishReason.TOOL_CALLS;
            case "refusal" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    @Override
    protected Decoder decoder(Consumer<StreamEvent> sink, LlmRequest request, String model) {
        return new MessagesDecoder(new Accumulator(sink, TokenEstimator.estimateInput(request)), name(), model);
    }

    private static final class MessagesDecoder extends Decoder {
        private final SseParser sse;
        private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
        private Usage usage;

        MessagesDecoder(Accumulator acc, String provider, String model) {
            super(acc, provider, model);
            this.sse = new SseParser(MAX_LINE_BYTES, this::event);
        }

        @Override
        public void feed(ByteBuffer chunk) {
            sse.feed(chunk);
        }

        private void event(SseParser.Event e) {
            if (finished()) {
                return;
            }
            JsonNode json = Json.parseOrNull(e.data());
            if (json == null) {
                return;
            }
            String type = e.event().equals("message") ? Json.str(json, "type") : e.event();
            if (type == null) {
                return;
            }
            switch (type) {
                case "message_start" -> {
                    JsonNode msg = json.path("message");
                    acc.model(Json.str(msg, "model"));
                    usage = usage(msg.get("usage"), usage);
                    acc.usage(usage);
                }
                case "content_block_start" -> {
                    JsonNode block = json.path("content_block");
                    int index = json.path("index").asInt();
                    if ("tool_use".equals(Json.str(block, "type"))) {
                        int toolIndex = toolIndexByBlock.size();
                        toolIndexByBlock.put(index, toolIndex);
                        acc.toolStart(toolIndex, Json.str(block, "id"), Json.str(block, "name"), null);
                    } else if ("text".equals(Json.str(block, "type"))) {
                        acc.text(Json.str(block, "text"));
                    }
                }
                case "content_block_delta" -> {
                    JsonNode delta = json.path("delta");
                    switch (delta.path("type").asText()) {
                        case "text_delta" -> acc.text(Json.str(delta, "text"));
                        case "input_json_delta" -> {
                            Integer toolIndex = toolIndexByBlock.get(json.path("index").asInt());
                            if (toolIndex != null) {
                                acc.toolArgs(toolIndex, Json.str(delta, "partial_json"));
                            }
                        }
                        default -> {
                            // thinking_delta, signature_delta, citations: not answer text
                        }
                    }
                }
                case "message_delta" -> {
                    String stop = Json.str(json.path("delta"), "stop_reason");
                    if (stop != null) {
                        acc.finish(finish(stop));
                    }
                    usage = usage(json.get("usage"), usage);
                    acc.usage(usage);
                }
                case "message_stop" -> markFinished();
                case "error" -> {
                    JsonNode err = json.path("error");
                    String code = Json.str(err, "type");
                    throw inBand(kindOf(code, Json.str(err, "message"), err.path("details")), code, Json.str(err, "message"));
                }
                default -> {
                    // ping, content_block_stop and event types added later
                }
            }
        }
    }

    static LlmErrorKind kindOf(String type, String message, JsonNode details) {
        String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
        if (type == null) {
            return LlmErrorKind.SERVER_ERROR;
        }
        return switch (type) {
            case "rate_limit_error" -> "enforced_spend_limit_reached".equals(Json.str(details, "error_code"))
                    || m.contains("spend limit") ? LlmErrorKind.QUOTA_EXHAUSTED : LlmErrorKind.RATE_LIMITED;
            case "overloaded_error" -> LlmErrorKind.OVERLOADED;
            case "api_error" -> LlmErrorKind.SERVER_ERROR;
            case "timeout_error" -> LlmErrorKind.TIMEOUT;
            case "authentication_error", "permission_error" -> LlmErrorKind.AUTHENTICATION;
            case "billing_error" -> LlmErrorKind.QUOTA_EXHAUSTED;
            case "not_found_error" -> LlmErrorKind.MODEL_NOT_FOUND;
            case "invalid_request_error" -> m.contains("prompt is too long") || m.contains("context")
                    && m.contains("exceed") ? LlmErrorKind.CONTEXT_TOO_LONG : LlmErrorKind.BAD_REQUEST;
            case "request_too_large" -> LlmErrorKind.BAD_REQUEST;
            default -> LlmErrorKind.SERVER_ERROR;
        };
    }

    @Override
    protected LlmException classify(int status, HttpHeaders headers, byte[] body, String model) {
        JsonNode json = Json.parseOrNull(body);
        JsonNode err = json == null ? null : json.get("error");
        String code = err == null ? null : Json.str(err, "type");
        String message = err == null ? new String(body, StandardCharsets.UTF_8) : Json.str(err, "message");
        LlmErrorKind kind = code == null ? Errors.byStatus(status)
                : kindOf(code, message, err.path("details"));
        if (status == 529) {
            kind = LlmErrorKind.OVERLOADED;
        }
        Duration retry = Errors.retryAfter(headers, clock);
        Instant reset = null;
        if (kind == LlmErrorKind.RATE_LIMITED && retry == null) {
            for (String bucket : new String[] {"requests", "tokens", "input-tokens", "output-tokens"}) {
                String remaining = headers.firstValue("anthropic-ratelimit-" + bucket + "-remaining").orElse("");
                Instant at = Errors.rfc3339(headers.firstValue("anthropic-ratelimit-" + bucket + "-reset").orElse(null));
                if (remaining.trim().equals("0") && at != null && (reset == null || at.isAfter(reset))) {
                    reset = at;
                }
            }
            if (reset != null) {
                Duration d = Duration.between(clock.instant(), reset);
                retry = d.isNegative() ? Duration.ZERO : d;
                reset = null;
            }
        }
        return new LlmException(kind, name() + "/" + model + ": HTTP " + status + (code == null ? "" : " " + code) + ": "
                + Errors.brief(message), name(), model, status, code, retry, reset, null);
    }
}
