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
import java.net.URLEncoder;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Google Gemini {@code generateContent} and {@code streamGenerateContent?alt=sse}: {@code x-goog-api-key}
 * (never the {@code ?key=} parameter, which leaks into logs), roles {@code user}/{@code model},
 * CRLF-framed SSE in which every event is a whole response with cumulative usage (the last one
 * wins), end of body as terminator, {@code google.rpc.Status} errors with {@code RetryInfo}, and
 * HTTP 200 without candidates for a blocked prompt (a {@code CONTENT_FILTERED} error).
 */
public final class GeminiProvider extends HttpProvider {

    private static final ZoneId QUOTA_ZONE = ZoneId.of("America/Los_Angeles");

    public GeminiProvider(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        super(settings, scheduler, clock);
    }

    @Override
    protected URI uri(String model, boolean stream) {
        String m = model.startsWith("models/") ? model.substring(7) : model;
        String path = "/v1beta/models/" + URLEncoder.encode(m, StandardCharsets.UTF_8).replace("+", "%20")
                + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
        return URI.create(url(path));
    }

    @Override
    protected void headers(HttpRequest.Builder b) {
        if (settings.hasApiKey()) {
            b.header("x-goog-api-key", settings.apiKey());
        }
    }

    @Override
    protected ObjectNode body(LlmRequest request, String model, boolean stream) {
        ObjectNode b = Json.object();
        StringBuilder system = new StringBuilder();
        ArrayNode contents = Json.array();
        for (Message m : request.messages()) {
            switch (m.role()) {
                case SYSTEM -> system.append(system.length() == 0 ? "" : "\n\n").append(m.content());
                case USER -> contents.addObject().put("role", "user").putArray("parts").addObject().put("text", m.content());
                case ASSISTANT -> {
                    ArrayNode parts = contents.addObject().put("role", "model").putArray("parts");
                    if (!m.content().isEmpty() || m.toolCalls().isEmpty()) {
                        parts.addObject().put("text", m.content());
                    }
                    for (ToolCall c : m.toolCalls()) {
                        ObjectNode fc = parts.addObject().putObject("functionCall");
                        fc.put("name", c.name());
                        fc.set("args", Json.parse(c.arguments(), "arguments of tool call " + c.id()));
                    }
                }
                case TOOL -> {
                    ObjectNode fr = contents.addObject().put("role", "user").putArray("parts").addObject()
                            .putObject("functionResponse");
                    fr.put("name", m.name() == null ? m.toolCallId() : m.name());
                    JsonNode parsed = Json.parseOrNull(m.content());
                    if (parsed != null && parsed.isObject()) {
                        fr.set("response", parsed);
                    } else {
                        fr.putObject("response").put("result", m.content());
                    }
                }
                default -> throw new IllegalStateException("role " + m.role());
            }
        }
        if (system.length() > 0) {
            b.putObject("systemInstruction").putArray("parts").addObject().put("text", system.toString());
        }
        b.set("contents", contents);
        ObjectNode g = b.putObject("generationConfig");
        if (request.temperature() != null) {
            g.put("temperature", request.temperature());
        }
        if (request.topP() != null) {
            g.put("topP", request.topP());
        }
        if (request.maxTokens() != null) {
            g.put("maxOutputTokens", request.maxTokens());
        }
        if (!request.stop().isEmpty()) {
            ArrayNode s = g.putArray("stopSequences");
            request.stop().forEach(s::add);
        }
        if (request.responseFormat().json()) {
            g.put("responseMimeType", "application/json");
            if (request.responseFormat().schema() != null) {
                g.set("responseJsonSchema", Json.parse(request.responseFormat().schema(), "response schema"));
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode decl = b.putArray("tools").addObject().putArray("functionDeclarations");
            for (ToolDefinition t : request.tools()) {
                ObjectNode d = decl.addObject().put("name", t.name()).put("description", t.description());
                d.set("parametersJsonSchema", Json.parse(t.parametersSchema(), "parameters of tool " + t.name()));
            }
        }
        return b;
    }

    @Override
    protected LlmResponse parse(JsonNode json, LlmRequest request, String model) {
        JsonNode candidates = json.path("candidates");
        if (!candidates.isArray() || candidates.isEmpty()) {
            throw blocked(json, model);
        }
        JsonNode cand = candidates.get(0);
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode part : cand.path("content").path("parts")) {
            if (part.path("thought").asBoolean(false)) {
                continue;
            }
            if (part.has("text")) {
                text.append(part.path("text").asText());
            }
            if (part.has("functionCall")) {
                JsonNode fc = part.path("functionCall");
                calls.add(new ToolCall(fc.hasNonNull("id") ? fc.path("id").asText() : "call_" + calls.size(),
                        fc.path("name").asText(), Json.text(fc.path("args"))));
            }
        }
        Usage usage = usage(json.get("usageMetadata"));
        if (usage == null) {
            usage = Usage.estimated(TokenEstimator.estimateInput(request), TokenEstimator.estimateText(text.toString()));
        }
        FinishReason f = finish(Json.str(cand, "finishReason"));
        if (f == FinishReason.STOP && !calls.isEmpty()) {
            f = FinishReason.TOOL_CALLS;
        }
        return LlmResponse.builder().content(text.toString()).toolCalls(calls).finishReason(f).usage(usage)
                .provider(name()).requestModel(model).model(Json.str(json, "modelVersion")).build();
    }

    private LlmException blocked(JsonNode json, String model) {
        String reason = Json.str(json.path("promptFeedback"), "blockReason");
        return new LlmException(LlmErrorKind.CONTENT_FILTERED, name() + "/" + model + ": no candidates"
                + (reason == null ? "" : ", prompt blocked (" + reason + ")"), name(), model, 200, reason, null, null, null);
    }

    /** Gemini's promptTokenCount includes cached tokens; thoughts are counted apart from candidates and added in here. */
    static Usage usage(JsonNode u) {
        if (u == null || !u.isObject() || Json.num(u, "promptTokenCount") < 0) {
            return null;
        }
        long in = Json.count(u, "promptTokenCount") + Json.count(u, "toolUsePromptTokenCount");
        long thoughts = Json.count(u, "thoughtsTokenCount");
        long out = Json.count(u, "candidatesTokenCount") + thoughts;
        long cached = Math.min(in, Json.count(u, "cachedContentTokenCount"));
        return new Usage(in, out, cached, 0, thoughts, false);
    }

    static FinishReason finish(String reason) {
        if (reason == null) {
            return FinishReason.STOP;
        }
        return switch (reason) {
            case "STOP" -> FinishReason.STOP;
            case "MAX_TOKENS" -> FinishReason.LENGTH;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY" ->
                    FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    @Override
    protected Decoder decoder(Consumer<StreamEvent> sink, LlmRequest request, String model) {
        return new GenerateDecoder(new Accumulator(sink, TokenEstimator.estimateInput(request)), name(), model);
    }

    private final class GenerateDecoder extends Decoder {
        private final SseParser sse;
        private int tools;

        GenerateDecoder(Accumulator acc, String provider, String model) {
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
            JsonNode json = Json.parseOrNull(e.data());
            if (json == null || !json.isObject()) {
                return;
            }
            if (json.has("error")) {
                JsonNode err = json.path("error");
                String status = Json.str(err, "status");
                throw inBand(kindOf(status, Json.str(err, "message"), err, 0), status, Json.str(err, "message"));
            }
            Usage u = usage(json.get("usageMetadata"));
            if (u != null) {
                acc.usage(u);
            }
            acc.model(Json.str(json, "modelVersion"));
            JsonNode candidates = json.path("candidates");
            if (!candidates.isArray() || candidates.isEmpty()) {
                if (json.path("promptFeedback").has("blockReason")) {
                    throw blocked(json, model);
                }
                return;
            }
            JsonNode cand = candidates.get(0);
            for (JsonNode part : cand.path("content").path("parts")) {
                if (part.path("thought").asBoolean(false)) {
                    continue;
                }
                if (part.has("text")) {
                    acc.text(part.path("text").asText());
                }
                if (part.has("functionCall")) {
                    JsonNode fc = part.path("functionCall");
                    int index = tools++;
                    acc.toolStart(index, fc.hasNonNull("id") ? fc.path("id").asText() : null, fc.path("name").asText(),
                            Json.text(fc.path("args")));
                }
            }
            String fr = Json.str(cand, "finishReason");
            if (fr != null) {
                FinishReason f = finish(fr);
                acc.finish(f == FinishReason.STOP && acc.inToolCall() ? FinishReason.TOOL_CALLS : f);
            }
        }
    }

    static LlmErrorKind kindOf(String status, String message, JsonNode err, int http) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (status == null) {
            return http == 0 ? LlmErrorKind.SERVER_ERROR : Errors.byStatus(http);
        }
        for (JsonNode d : err.path("details")) {
            if ("API_KEY_INVALID".equals(Json.str(d, "reason"))) {
                return LlmErrorKind.AUTHENTICATION;
            }
        }
        return switch (status) {
            case "RESOURCE_EXHAUSTED" -> dailyQuota(err) ? LlmErrorKind.QUOTA_EXHAUSTED : LlmErrorKind.RATE_LIMITED;
            case "UNAVAILABLE" -> LlmErrorKind.OVERLOADED;
            case "INTERNAL", "UNKNOWN" -> LlmErrorKind.SERVER_ERROR;
            case "DEADLINE_EXCEEDED" -> LlmErrorKind.TIMEOUT;
            case "UNAUTHENTICATED", "PERMISSION_DENIED" -> LlmErrorKind.AUTHENTICATION;
            case "NOT_FOUND" -> LlmErrorKind.MODEL_NOT_FOUND;
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> m.contains("token")
                    && (m.contains("exceed") || m.contains("too long") || m.contains("maximum")) ? LlmErrorKind.CONTEXT_TOO_LONG
                    : LlmErrorKind.BAD_REQUEST;
            default -> http == 0 ? LlmErrorKind.SERVER_ERROR : Errors.byStatus(http);
        };
    }

    /** A per-day quota stays exhausted until the day ends: not worth retrying. */
    private static boolean dailyQuota(JsonNode err) {
        for (JsonNode d : err.path("details")) {
            for (JsonNode v : d.path("violations")) {
                String id = Json.str(v, "quotaId");
                if (id != null && id.contains("PerDay")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Duration retryDelay(JsonNode err) {
        for (JsonNode d : err.path("details")) {
            if (String.valueOf(Json.str(d, "@type")).endsWith("google.rpc.RetryInfo")) {
                return Errors.protoDuration(Json.str(d, "retryDelay"));
            }
        }
        return null;
    }

    @Override
    protected LlmException classify(int status, HttpHeaders headers, byte[] body, String model) {
        JsonNode json = Json.parseOrNull(body);
        JsonNode err = json == null ? null : json.isArray() && !json.isEmpty() ? json.get(0).get("error") : json.get("error");
        String code = err == null ? null : Json.str(err, "status");
        String message = err == null ? new String(body, StandardCharsets.UTF_8) : Json.str(err, "message");
        LlmErrorKind kind = err == null ? Errors.byStatus(status) : kindOf(code, message, err, status);
        Duration retry = Errors.retryAfter(headers, clock);
        if (retry == null && err != null) {
            retry = retryDelay(err);
        }
        Instant reset = null;
        if (kind == LlmErrorKind.QUOTA_EXHAUSTED) {
            LocalDate today = LocalDate.now(clock.withZone(QUOTA_ZONE));
            reset = today.plusDays(1).atStartOfDay(QUOTA_ZONE).toInstant();
        }
        return new LlmException(kind, name() + "/" + model + ": HTTP " + status + (code == null ? "" : " " + code) + ": "
                + Errors.brief(message), name(), model, status, code, retry, reset, null);
    }
}
