package io.aegis.gateway.llm.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.Message;
import io.aegis.gateway.llm.ToolCall;
import io.aegis.gateway.llm.ToolDefinition;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.HexFormat;
import java.util.List;

/**
 * The cache key of a request: SHA-256 over a canonical JSON of everything that changes the answer
 * (messages with text in Unicode NFC, sampling parameters, stop sequences, format, tools), the
 * route (provider and model of each candidate, in order) and the tenant, which partitions the
 * cache so one tenant never sees another's answer. Budget keys, request types and the mid-stream
 * policy do not change the answer and are left out.
 */
public final class CacheKey {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CacheKey() {
    }

    /**
     * @param route the candidates as {@code provider/model}, in order
     */
    public static String of(LlmRequest r, List<String> route) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("tenant", r.tenant() == null ? "" : r.tenant());
        ArrayNode rt = n.putArray("route");
        route.forEach(rt::add);
        ArrayNode ms = n.putArray("messages");
        for (Message m : r.messages()) {
            ObjectNode o = ms.addObject().put("role", m.role().name()).put("content", nfc(m.content()));
            if (m.toolCallId() != null) {
                o.put("toolCallId", m.toolCallId());
            }
            if (m.name() != null) {
                o.put("name", m.name());
            }
            for (ToolCall c : m.toolCalls()) {
                o.withArray("toolCalls").addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
            }
        }
        if (r.temperature() != null) {
            n.put("temperature", r.temperature());
        }
        if (r.topP() != null) {
            n.put("topP", r.topP());
        }
        if (r.maxTokens() != null) {
            n.put("maxTokens", r.maxTokens());
        }
        r.stop().forEach(n.putArray("stop")::add);
        n.put("json", r.responseFormat().json());
        if (r.responseFormat().schema() != null) {
            n.put("schema", r.responseFormat().schema());
        }
        for (ToolDefinition t : r.tools()) {
            n.withArray("tools").addObject().put("name", t.name()).put("description", t.description())
                    .put("parameters", t.parametersSchema());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(MAPPER.writeValueAsBytes(n));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nfc(String s) {
        return Normalizer.normalize(s, Normalizer.Form.NFC);
    }
}
