package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.Message;
import io.aegis.gateway.llm.ToolCall;
import io.aegis.gateway.llm.ToolDefinition;
import java.nio.charset.StandardCharsets;

/**
 * Token estimates where no tokenizer is at hand: one token per three UTF-8 bytes (English runs near
 * four characters a token, so this over-counts it by about a third; Korean or Chinese text, three
 * bytes a character, counts about one token per character), plus a per-message overhead. Used for
 * budget reservations (which should err high), context-window checks and providers that report no
 * usage (marked {@code estimated}).
 */
public final class TokenEstimator {

    private static final int PER_MESSAGE = 4;
    private static final int PER_REQUEST = 8;

    private TokenEstimator() {
    }

    public static long estimateText(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long bytes = text.getBytes(StandardCharsets.UTF_8).length;
        return (bytes + 2) / 3;
    }

    /** The estimated prompt tokens of a request. */
    public static long estimateInput(LlmRequest request) {
        long n = PER_REQUEST;
        for (Message m : request.messages()) {
            n += PER_MESSAGE + estimateText(m.content());
            for (ToolCall c : m.toolCalls()) {
                n += estimateText(c.name()) + estimateText(c.arguments());
            }
        }
        for (ToolDefinition t : request.tools()) {
            n += estimateText(t.name()) + estimateText(t.description()) + estimateText(t.parametersSchema());
        }
        if (request.responseFormat().schema() != null) {
            n += estimateText(request.responseFormat().schema());
        }
        return n;
    }
}
