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
import io.aegis.gateway.llm.WireFormat;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * OpenAI Chat Completions, and the OpenAI-compatible servers: the Hugging Face router, TGI's
 * Messages API, vLLM, Ollama's {@code /v1}. The {@link WireFormat#HUGGINGFACE} flavour sends
 * {@code max_tokens} instead of {@code max_completion_tokens} and reads the router's
 * {@code {"error": "..."}} errors.
 */
public final class OpenAiProvider extends HttpProvider {

    private final boolean openAi;

    public OpenAiProvider(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        super(settings, scheduler, clock);
        this.openAi = settings.format() == WireFormat.OPENAI;
    }

    @Override
    protected URI uri(String model, boolean stream) {
        return URI.create(url("/v1/chat/completions"));
    }

    @Override
    protected void headers(HttpRequest.Builder b) {
        if (settings.hasApiKey()) {
            b.header("Authorization", "Bearer " + settings.apiKey());
        }
    }

    @Override
    protected ObjectNode body(LlmRequest request, String model, boolean stream) {
        ObjectNode b = Json.object();
        b.put("model", model);
        ArrayNode messages = b.putArray("messages");
        for (Message m : request.messages()) {
            ObjectNode o = messages.addObject();
            switch (m.role()) {
                case SYSTEM -> o.put("role", "system").put("content", m.content());
                case USER -> o.put("role", "user").put("content", m.content());
                case TOOL -> o.put("role", "tool").put("tool_call_id", m.toolCallId()).put("content", m.content());
                case ASSISTANT -> {
                    o.put("role", "assistant");
                    if (m.content().isEmpty() && !m.toolCalls().isEmpty()) {
                        o.putNull("content");
                    } else {
                        o.put("content", m.content());
                    }
                    if (!m.toolCalls().isEmpty()) {
                        ArrayNode calls = o.putArray("tool_calls");
                        for (ToolCall c : m.toolCalls()) {
                            ObjectNode call = calls.addObject().put("id", c.id()).put("type", "function");
                            call.putObject("function").put("name", c.name()).put("arguments", c.arguments());
                        }
                    }
                }
                default -> throw new IllegalStateException("role " + m.role());
            }
        }
        if (request.temperature() != null) {
            b.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            b.put("top_p", request.topP());
        }
        if (request.maxTokens() != null) {
            b.put(openAi ? "max_completion_tokens" : "max_tokens", request.maxTokens());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode s = b.putArray("stop");
            request.stop().forEach(s::add);
        }
        if (request.responseFormat().json()) {
            ObjectNode f = b.putObject("response_format");
            if (request.responseFormat().schema() != null) {
                f.put("type", "json_schema");
                ObjectNode js = f.putObject("json_schema");
                js.put("name", "response");
                js.set("schema", Json.parse(request.responseFormat().schema(), "response schema"));
            } else {
                f.put("type", "json_object");
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = b.putArray("tools");
            for (ToolDefinition t : request.tools()) {
                ObjectNode fn = tools.addObject().put("type", "function").putObject("function");
                fn.put("name", t.name()).put("description", t.description());
                fn.set("parameters", Json.parse(t.parametersSchema(), "parameters of tool " + t.name()));
            }
        }
        b.put("stream", stream);
        if (stream) {
            b.putObject("stream_options").put("include_usage", true);
        }
        return b;
    }

    @Override
    protected LlmResponse parse(JsonNode json, LlmRequest request, String model) {
        JsonNode choices = json.path("choices");
        if (!choices.isArray() || choices.isEmpty()) {
            if (json.has("error")) {
                throw classify(200, HttpHeaders.of(java.util.Map.of(), (a, b) -> true),
                        Json.bytes(json), model);
            }
            throw new LlmException(LlmErrorKind.SERVER_ERROR, name() + "/" + model + ": answer without choices",
                    name(), model, 200, null, null, null, null);
        }
        JsonNode choice = choices.get(0);
        JsonNode msg = choice.path("message");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : msg.path("tool_calls")) {
            JsonNode fn = c.path("function");
            calls.add(new ToolCall(c.path("id").asText("call_" + calls.size()), fn.path("name").asText(),
                    fn.path("arguments").asText("{}")));
        }
        String content = Json.str(msg, "content");
        Usage usage = usage(json.get("usage"));
        if (usage == null) {
            usage = Usage.estimated(TokenEstimator.estimateInput(request), TokenEstimator.estimateText(content));
        }
        return LlmResponse.builder().content(content).toolCalls(calls).finishReason(finish(Json.str(choice, "finish_reason")))
                .usage(usage).provider(name()).requestModel(model).model(Json.str(json, "model")).build();
    }

    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject() || Json.num(u, "prompt_tokens") < 0) {
            return null;
        }
        long in = Json.count(u, "prompt_tokens");
        long out = Json.count(u, "completion_tokens");
        long cached = Math.min(in, Json.count(u.path("prompt_tokens_details"), "cached_tokens"));
        long reasoning = Math.min(out, Json.count(u.path("completion_tokens_details"), "reasoning_tokens"));
        return new Usage(in, out, cached, 0, reasoning, false);
    }

    static FinishReason finish(String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case "stop", "eos_token", "stop_sequence" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    @Override
    protected Decoder decoder(Consumer<StreamEvent> sink, LlmRequest request, String model) {
        return new ChatDecoder(new Accumulator(sink, TokenEstimator.estimateInput(request)), name(), model);
    }

    /** Decodes OpenAI-style chunks; {@code data: [DONE]} ends the stream. */
    static final class ChatDecoder extends Decoder {
        private final SseParser sse;

        ChatDecoder(Accumulator acc, String provider, String model) {
            super(acc, provider, model);
            this.sse = new SseParser(MAX_LINE_BYTES, this::event);
        }

        @Override
        public void feed(ByteBuffer chunk) {
            sse.feed(chunk);
        }

        @Override
        protected boolean finishReasonEndsStream() {
            return true;
        }

        private void event(SseParser.Event e) {
            if (finished()) {
                return;
            }
            String data = e.data().trim();
            if (data.equals("[DONE]")) {
                markFinished();
                return;
            }
            JsonNode json = Json.parseOrNull(data);
            if (json == null || !json.isObject()) {
                return;
            }
            JsonNode err = json.get("error");
            if (err != null && !err.isNull()) {
                String code = err.isObject() ? first(Json.str(err, "code"), Json.str(err, "type")) : null;
                String message = err.isObject() ? Json.str(err, "message") : err.asText();
                throw inBand(kindOf(code, message, 0), code, message);
            }
            acc.model(Json.str(json, "model"));
            for (JsonNode choice : json.path("choices")) {
                if (choice.path("index").asInt(0) != 0) {
                    continue;
                }
                JsonNode delta = choice.path("delta");
                acc.text(Json.str(delta, "content"));
                for (JsonNode t : delta.path("tool_calls")) {
                    int index = t.path("index").asInt(0);
                    JsonNode fn = t.path("function");
                    if (t.hasNonNull("id") || fn.hasNonNull("name")) {
                        acc.toolStart(index, Json.str(t, "id"), Json.str(fn, "name"), Json.str(fn, "arguments"));
                    } else {
                        acc.toolArgs(index, Json.str(fn, "arguments"));
                    }
                }
                String fr = Json.str(choice, "finish_reason");
                if (fr != null) {
                    acc.finish(finish(fr));
                }
            }
            Usage u = usage(json.get("usage"));
            if (u != null) {
                acc.usage(u);
            }
        }
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    /** The kind an OpenAI error code or type means; {@code status} 0 for in-band errors. */
    static LlmErrorKind kindOf(String code, String message, int status) {
        String c = code == null ? "" : code.toLowerCase(Locale.ROOT);
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (c.contains("insufficient_quota") || c.contains("billing")) {
            return LlmErrorKind.QUOTA_EXHAUSTED;
        }
        if (c.contains("context_length") || m.contains("maximum context length") || m.contains("context window")) {
            return LlmErrorKind.CONTEXT_TOO_LONG;
        }
        if (c.contains("invalid_api_key") || c.contains("authentication")) {
            return LlmErrorKind.AUTHENTICATION;
        }
        if (c.contains("content_filter") || c.contains("content_policy")) {
            return LlmErrorKind.CONTENT_FILTERED;
        }
        if (c.contains("overloaded") || c.contains("service_unavailable")) {
            return LlmErrorKind.OVERLOADED;
        }
        if (c.contains("rate_limit") || c.equals("slow_down") || status == 429 && (c.equals("tokens") || c.equals("requests"))) {
            return LlmErrorKind.RATE_LIMITED;
        }
        if (c.contains("model_not_found")) {
            return LlmErrorKind.MODEL_NOT_FOUND;
        }
        if (status == 0) {
            return c.contains("invalid_request") ? LlmErrorKind.BAD_REQUEST : LlmErrorKind.SERVER_ERROR;
        }
        return Errors.byStatus(status);
    }

    @Override
    protected LlmException classify(int status, HttpHeaders headers, byte[] body, String model) {
        return classifyOpenAi(name(), model, status, headers, body, clock);
    }

    /** OpenAI's error envelope {@code {"error": {message, type, code}}}, or a router's {@code {"error": "..."}}. */
    static LlmException classifyOpenAi(String provider, String model, int status, HttpHeaders headers, byte[] body,
                                       Clock clock) {
        JsonNode json = Json.parseOrNull(body);
        JsonNode err = json == null ? null : json.get("error");
        String code = null;
        String message;
        if (err != null && err.isObject()) {
            code = first(Json.str(err, "code"), Json.str(err, "type"));
            message = Json.str(err, "message");
            if ("rate_limit_exceeded".equals(code) || code == null) {
                String type = Json.str(err, "type");
                code = code == null ? type : code;
            }
        } else if (err != null) {
            message = err.asText();
            if (json.has("error_type")) {
                code = Json.str(json, "error_type");
            }
        } else {
            message = new String(body, StandardCharsets.UTF_8);
        }
        LlmErrorKind kind = kindOf(code, message, status);
        if (status == 402) {
            kind = LlmErrorKind.QUOTA_EXHAUSTED;
        }
        Duration retry = Errors.retryAfter(headers, clock);
        if (retry == null && kind == LlmErrorKind.RATE_LIMITED) {
            retry = resetHint(headers);
        }
        return new LlmException(kind, provider + "/" + model + ": HTTP " + status + (code == null ? "" : " " + code)
                + ": " + Errors.brief(message), provider, model, status, code, retry, null, null);
    }

    /** The reset of whichever {@code x-ratelimit-*} bucket is empty. */
    private static Duration resetHint(HttpHeaders h) {
        Duration hint = null;
        for (String kind : new String[] {"requests", "tokens"}) {
            String remaining = h.firstValue("x-ratelimit-remaining-" + kind).orElse(null);
            if ("0".equals(remaining == null ? null : remaining.trim())) {
                Duration d = Errors.goDuration(h.firstValue("x-ratelimit-reset-" + kind).orElse(null));
                if (d != null && (hint == null || d.compareTo(hint) > 0)) {
                    hint = d;
                }
            }
        }
        return hint;
    }
}
