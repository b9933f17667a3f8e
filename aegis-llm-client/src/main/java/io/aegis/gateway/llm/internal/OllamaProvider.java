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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Ollama {@code POST /api/chat}: NDJSON streaming (one JSON object a line, the last with
 * {@code done: true} and the counters), sampling under {@code options}, {@code format} for JSON,
 * {@code {"error": "..."}} errors (503 when its queue is full). Counters may be missing (a fully
 * cached prompt has no {@code prompt_eval_count}): missing parts are estimated and marked so.
 */
public final class OllamaProvider extends HttpProvider {

    public OllamaProvider(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        super(settings, scheduler, clock);
    }

    @Override
    protected URI uri(String model, boolean stream) {
        return URI.create(url("/api/chat"));
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
            o.put("role", m.role().name().toLowerCase(Locale.ROOT)).put("content", m.content());
            if (m.role() == io.aegis.gateway.llm.Role.TOOL && m.name() != null) {
                o.put("tool_name", m.name());
            }
            if (!m.toolCalls().isEmpty()) {
                ArrayNode calls = o.putArray("tool_calls");
                for (ToolCall c : m.toolCalls()) {
                    ObjectNode fn = calls.addObject().putObject("function");
                    fn.put("name", c.name());
                    fn.set("arguments", Json.parse(c.arguments(), "arguments of tool call " + c.id()));
                }
            }
        }
        b.put("stream", stream);
        ObjectNode options = b.putObject("options");
        if (request.temperature() != null) {
            options.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            options.put("top_p", request.topP());
        }
        if (request.maxTokens() != null) {
            options.put("num_predict", request.maxTokens());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode s = options.putArray("stop");
            request.stop().forEach(s::add);
        }
        if (request.responseFormat().json()) {
            if (request.responseFormat().schema() != null) {
                b.set("format", Json.parse(request.responseFormat().schema(), "response schema"));
            } else {
                b.put("format", "json");
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
        return b;
    }

    @Override
    protected LlmResponse parse(JsonNode json, LlmRequest request, String model) {
        if (json.has("error")) {
            throw classify(200, HttpHeaders.of(java.util.Map.of(), (x, y) -> true), Json.bytes(json), model);
        }
        JsonNode msg = json.path("message");
        String text = Json.str(msg, "content");
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode c : msg.path("tool_calls")) {
            JsonNode fn = c.path("function");
            calls.add(new ToolCall(c.hasNonNull("id") ? c.path("id").asText() : "call_" + calls.size(),
                    fn.path("name").asText(), Json.text(fn.path("arguments"))));
        }
        Usage usage = usage(json, TokenEstimator.estimateInput(request), TokenEstimator.estimateText(text));
        FinishReason f = calls.isEmpty() ? finish(Json.str(json, "done_reason")) : FinishReason.TOOL_CALLS;
        return LlmResponse.builder().content(text).toolCalls(calls).finishReason(f).usage(usage).provider(name())
                .requestModel(model).model(Json.str(json, "model")).build();
    }

    static Usage usage(JsonNode json, long estimatedIn, long estimatedOut) {
        long in = Json.num(json, "prompt_eval_count");
        long out = Json.num(json, "eval_count");
        if (in >= 0 && out >= 0) {
            return Usage.of(in, out);
        }
        return Usage.estimated(in >= 0 ? in : estimatedIn, out >= 0 ? out : estimatedOut);
    }

    static FinishReason finish(String reason) {
        if (reason == null || reason.equals("stop")) {
            return FinishReason.STOP;
        }
        return reason.equals("length") ? FinishReason.LENGTH : FinishReason.OTHER;
    }

    @Override
    protected Decoder decoder(Consumer<StreamEvent> sink, LlmRequest request, String model) {
        long estimated = TokenEstimator.estimateInput(request);
        return new Decoder(new Accumulator(sink, estimated), name(), model) {
            private final LineSplitter lines = new LineSplitter(MAX_LINE_BYTES, this::line);
            private int tools;

            @Override
            public void feed(ByteBuffer chunk) {
                lines.feed(chunk);
            }

            private void line(String line) {
                if (line.isBlank() || finished()) {
                    return;
                }
                JsonNode json = Json.parseOrNull(line);
                if (json == null || !json.isObject()) {
                    throw new LlmException(LlmErrorKind.SERVER_ERROR, provider + "/" + model
                            + ": stream line is not a JSON object", provider, model, 0, null, null, null, null);
                }
                if (json.has("error")) {
                    String message = json.path("error").asText();
                    throw inBand(message.toLowerCase(Locale.ROOT).contains("busy") ? LlmErrorKind.OVERLOADED
                            : LlmErrorKind.SERVER_ERROR, null, message);
                }
                acc.model(Json.str(json, "model"));
                JsonNode msg = json.path("message");
                acc.text(Json.str(msg, "content"));
                for (JsonNode c : msg.path("tool_calls")) {
                    JsonNode fn = c.path("function");
                    acc.toolStart(tools++, Json.str(c, "id"), fn.path("name").asText(), Json.text(fn.path("arguments")));
                }
                if (json.path("done").asBoolean(false)) {
                    acc.finish(acc.inToolCall() ? FinishReason.TOOL_CALLS : finish(Json.str(json, "done_reason")));
                    acc.usage(usage(json, estimated, TokenEstimator.estimateText(acc.content())));
                    markFinished();
                }
            }
        };
    }

    @Override
    protected LlmException classify(int status, HttpHeaders headers, byte[] body, String model) {
        JsonNode json = Json.parseOrNull(body);
        String message = json != null && json.has("error") ? json.path("error").asText() : new String(body, StandardCharsets.UTF_8);
        String m = message.toLowerCase(Locale.ROOT);
        LlmErrorKind kind = Errors.byStatus(status);
        if (m.contains("busy") || m.contains("maximum pending")) {
            kind = LlmErrorKind.OVERLOADED;
        } else if (m.contains("not found") && m.contains("model")) {
            kind = LlmErrorKind.MODEL_NOT_FOUND;
        } else if (m.contains("context") && m.contains("exceed")) {
            kind = LlmErrorKind.CONTEXT_TOO_LONG;
        }
        return new LlmException(kind, name() + "/" + model + ": HTTP " + status + ": " + Errors.brief(message), name(), model,
                status, null, Errors.retryAfter(headers, clock), null, null);
    }
}
