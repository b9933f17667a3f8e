package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.FinishReason;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.StreamEvent;
import io.aegis.gateway.llm.ToolCall;
import io.aegis.gateway.llm.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Assembles a streamed answer from its pieces while emitting them as events: text deltas, tool-call
 * pieces, usage (cumulative usages replace each other: the last one wins, never summed), finish
 * reason, the model that answered. Not thread-safe (one stream).
 */
public final class Accumulator {

    private final Consumer<StreamEvent> sink;
    private final long estimatedInput;
    private final StringBuilder content = new StringBuilder();
    private final TreeMap<Integer, String[]> tools = new TreeMap<>();
    private Usage usage;
    private FinishReason finish;
    private String model;

    public Accumulator(Consumer<StreamEvent> sink, long estimatedInput) {
        this.sink = sink;
        this.estimatedInput = estimatedInput;
    }

    public void text(String text) {
        if (text != null && !text.isEmpty()) {
            content.append(text);
            sink.accept(new StreamEvent.Delta(text));
        }
    }

    /** A new tool call (or more of one already started, when id and name repeat). */
    public void toolStart(int index, String id, String name, String args) {
        String[] t = tools.get(index);
        if (t == null) {
            String callId = id == null || id.isEmpty() ? "call_" + index : id;
            t = new String[] {callId, name == null ? "" : name, ""};
            tools.put(index, t);
            sink.accept(new StreamEvent.ToolCallDelta(index, callId, t[1], ""));
        }
        toolArgs(index, args);
    }

    public void toolArgs(int index, String fragment) {
        if (fragment == null || fragment.isEmpty()) {
            return;
        }
        String[] t = tools.get(index);
        if (t == null) {
            toolStart(index, null, null, null);
            t = tools.get(index);
        }
        t[2] = t[2] + fragment;
        sink.accept(new StreamEvent.ToolCallDelta(index, null, null, fragment));
    }

    public void usage(Usage u) {
        this.usage = u;
    }

    public Usage usage() {
        return usage;
    }

    public void finish(FinishReason reason) {
        if (reason != null) {
            this.finish = reason;
        }
    }

    public FinishReason finishReason() {
        return finish;
    }

    public void model(String m) {
        if (m != null && !m.isEmpty()) {
            this.model = m;
        }
    }

    public String content() {
        return content.toString();
    }

    public boolean inToolCall() {
        return !tools.isEmpty();
    }

    public boolean started() {
        return content.length() > 0 || !tools.isEmpty();
    }

    /** The usage, estimated when the provider reported none. */
    public Usage resolvedUsage() {
        if (usage != null) {
            return usage;
        }
        long out = TokenEstimator.estimateText(content.toString());
        for (String[] t : tools.values()) {
            out += TokenEstimator.estimateText(t[1] + t[2]);
        }
        return Usage.estimated(estimatedInput, out);
    }

    /** Emits the usage report and the final response; returns the response. */
    public LlmResponse done(String provider, String requestModel) {
        List<ToolCall> calls = new ArrayList<>();
        tools.values().forEach(t -> calls.add(new ToolCall(t[0], t[1], t[2])));
        FinishReason f = finish != null ? finish : calls.isEmpty() ? FinishReason.STOP : FinishReason.TOOL_CALLS;
        Usage u = resolvedUsage();
        LlmResponse r = LlmResponse.builder().content(content.toString()).toolCalls(calls).finishReason(f).usage(u)
                .provider(provider).requestModel(requestModel).model(model).build();
        sink.accept(new StreamEvent.UsageReport(u));
        sink.accept(new StreamEvent.Done(r));
        return r;
    }
}
