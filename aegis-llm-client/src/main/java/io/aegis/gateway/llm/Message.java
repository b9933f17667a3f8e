package io.aegis.gateway.llm;

import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation. Immutable.
 *
 * @param role who wrote it
 * @param content the text (may be empty for an assistant turn that only calls tools)
 * @param toolCalls the tool calls of an assistant turn (empty otherwise)
 * @param toolCallId for a {@link Role#TOOL} message: the call it answers
 * @param name for a {@link Role#TOOL} message: the function name (Gemini needs it)
 */
public record Message(Role role, String content, List<ToolCall> toolCalls, String toolCallId, String name) {

    public Message {
        Objects.requireNonNull(role, "role");
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
        if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
            throw new IllegalArgumentException("toolCalls: on a " + role + " message (expected: only on ASSISTANT)");
        }
        if (role == Role.TOOL && (toolCallId == null || toolCallId.isBlank())) {
            throw new IllegalArgumentException("toolCallId: missing (expected: the id of the call a TOOL message answers)");
        }
    }

    public static Message system(String content) {
        return new Message(Role.SYSTEM, content, List.of(), null, null);
    }

    public static Message user(String content) {
        return new Message(Role.USER, content, List.of(), null, null);
    }

    public static Message assistant(String content) {
        return new Message(Role.ASSISTANT, content, List.of(), null, null);
    }

    /** An assistant turn that called tools. */
    public static Message assistant(String content, List<ToolCall> toolCalls) {
        return new Message(Role.ASSISTANT, content, toolCalls, null, null);
    }

    /** The result of the tool call {@code toolCallId} of function {@code name}. */
    public static Message tool(String toolCallId, String name, String content) {
        return new Message(Role.TOOL, content, List.of(), toolCallId, name);
    }
}
