package io.aegis.gateway.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aegis.gateway.llm.FinishReason;
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
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * OpenAI Responses API ({@code POST /v1/responses}): {@code instructions} for system text, an
 * {@code input} array of messages and function-call items, {@code max_output_tokens}, named SSE
 * events with a {@code sequence_number} and no {@code [DONE]} (the stream ends after
 * {@code response.completed}, {@code response.incomplete} or {@code response.failed}), usage as
 * {@code input_tokens}/{@code output_tokens} with cached and reasoning details. Sent with
 * {@code store: false}: nothing is kept at OpenAI between calls.
 */
public final class OpenAiResponsesProvider extends HttpProvider {

    public OpenAiResponsesProvider(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        super(settings, scheduler, clock);
    }

    @Override
    protected URI uri(String model, boolean stream) {
        return URI.create(url("/v1/responses"));
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
        StringBuilder instructions = new StringBuilder();
        ArrayNode input = Json.array();
        for (Message m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> instructions.append(instructions.length() == 0 ? "" : "\n\n").append(m.content());
                case USER -> input.addObject().put("role", "user").put("content", m.content());
                case ASSISTANT -> {
                    if (!m.content().isEmpty()) {
                        input.addObject().put("role", "assistant").put("content", m.content());
                    }
                    for (ToolCall c : m.toolCalls()) {
                        input.addObject().put("type", "function_call").put("call_id", c.id()).put("name", c.name())
                                .put("arguments", c.arguments());
                    }
                }
                case TOOL -> input.addObject().put("type", "function_call_output").put("call_id", m.toolCallId())
                        .put("output", m.content());
                default -> throw new IllegalStateException("role " + m.role());
            }
        }
        if (instructions.length() > 0) {
            b.put("instructions", instructions.toString());
        }
        b.set("input", input);
        if (request.maxTokens() != null) {
            b.put("max_output_tokens", request.maxTokens());
        }
        if (request.temperature() != null) {
            b.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            b.put("top_p", request.topP());
        }
        if (request.responseFormat().json()) {
            ObjectNode f = b.putObject("text").putObject("format");
            if (request.responseFormat().schema() != null) {
                f.put("type", "json_schema").put("name", "response");
                f.set("schema", Json.parse(request.responseFormat().schema(), "response schema"));
            } else {
                f.put("type", "json_object");
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = b.putArray("tools");
            for (ToolDefinition t : request.tools()) {
                ObjectNode o = tools.addObject().put("type", "function").put("name", t.name()).put("description", t.description());
                o.set("parameters", Json.parse(t.parametersSchema(), "parameters of tool " + t.name()));
            }
        }
        b.put("store", false);
        b.put("stream", stream);
        return b;
    }

    @Override
    protected LlmResponse parse(JsonNode json, LlmRequest request, String model) {
        if ("failed".equals(Json.str(json, "status")) && json.hasNonNull("error")) {
            JsonNode err = json.path("error");
            throw new LlmException(OpenAiProvider.kindOf(Json.str(err, "code"), Json.str(err, "message"), 0),
                    name() + "/" + model + ": response failed: " + Errors.brief(Json.str(err, "message")), name(), model,
                    200, Json.str(err, "code"), null, null, null);
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode item : json.path("output")) {
            switch (item.path("type").asText()) {
                case "message" -> {
                    for (JsonNode part : item.path("content")) {
                        if ("output_text".equals(Json.str(part, "type"))) {
                            text.append(part.path("text").asText());
                        }
                    }
                }
                case "function_call" -> calls.add(new ToolCall(item.path("call_id").asText("call_" + calls.size()),
                        item.path("name").asText(), item.path("arguments").asText("{}")));
                default -> {
                    // reasoning summaries, web search calls: not answer text
                }
            }
        }
        Usage usage = usage(json.get("usage"));
        if (usage == null) {
            usage = Usage.estimated(TokenEstimator.estimateInput(request), TokenEstimator.estimateText(text.toString()));
        }
        return LlmResponse.builder().content(text.toString()).toolCalls(calls).finishReason(finish(json, !calls.isEmpty()))
                .usage(usage).provider(name()).requestModel(model).model(Json.str(json, "model")).build();
    }

    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject() || Json.num(u, "input_tokens") < 0) {
            return null;
        }
        long in = Json.count(u, "input_tokens");
        long out = Json.count(u, "output_tokens");
        return new Usage(in, out, Math.min(in, Json.count(u.path("input_tokens_details"), "cached_tokens")), 0,
                Math.min(out, Json.count(u.path("output_tokens_details"), "reasoning_tokens")), false);
    }

    static FinishReason finish(JsonNode response, boolean tools) {
        if ("incomplete".equals(Json.str(response, "status"))) {
            String reason = Json.str(response.path("incomplete_details"), "reason");
            return "content_filter".equals(reason) ? FinishReason.CONTENT_FILTER : FinishReason.LENGTH;
        }
        return tools ? FinishReason.TOOL_CALLS : FinishReason.STOP;
    }

    @Override
    protected Decoder decoder(Consumer<StreamEvent> sink, LlmRequest request, String model) {
        return new Decoder(new Accumulator(sink, TokenEstimator.estimateInput(request)), name(), model) {
            private final SseParser sse = new SseParser(MAX_LINE_BYTES, this::event);
            private final Map<Integer, Integer> toolIndexByOutput = new HashMap<>();

            @Override
            public void feed(ByteBuffer chunk) {
                sse.feed(chunk);
            }

            private void event(SseParser.Event e) {
                JsonNode json = Json.parseOrNull(e.data());
                if (json == null || !json.isObject() || finished()) {
                    return;
                }
                String type = e.event().equals("message") ? Json.str(json, "type") : e.event();
                if (type == null) {
                    return;
                }
                switch (type) {
                    case "response.output_text.delta" -> acc.text(Json.str(json, "delta"));
                    case "response.output_item.added" -> {
                        JsonNode item = json.path("item");
                        if ("function_call".equals(Json.str(item, "type"))) {
                            int index = toolIndexByOutput.size();
                            toolIndexByOutput.put(json.path("output_index").asInt(), index);
                            acc.toolStart(index, Json.str(item, "call_id"), Json.str(item, "name"), Json.str(item, "arguments"));
                        }
                    }
                    case "response.function_call_arguments.delta" -> {
                        Integer index = toolIndexByOutput.get(json.path("output_index").asInt());
                        if (index != null) {
                            acc.toolArgs(index, Json.str(json, "delta"));
                        }
                    }
                    case "response.completed", "response.incomplete" -> {
                        JsonNode r = json.path("response");
                        acc.model(Json.str(r, "model"));
                        Usage u = usage(r.get("usage"));
                        if (u != null) {
                            acc.usage(u);
                        }
                        acc.finish(finish(r, acc.inToolCall()));
                        markFinished();
                    }
                    case "response.failed" -> {
                        JsonNode err = json.path("response").path("error");
                        String code = Json.str(err, "code");
                        throw inBand(OpenAiProvider.kindOf(code, Json.str(err, "message"), 0), code, Json.str(err, "message"));
                    }
                    case "error" -> {
                        String code = Json.str(json, "code");
                        throw inBand(OpenAiProvider.kindOf(code, Json.str(json, "message"), 0), code, Json.str(json, "message"));
                    }
                    default -> {
                        // created, in_progress, content_part.*, output_text.done, reasoning events
                    }
                }
            }
        };
    }

    @Override
    protected LlmException classify(int status, HttpHeaders headers, byte[] body, String model) {
        return OpenAiProvider.classifyOpenAi(name(), model, status, headers, body, clock);
    }
}
