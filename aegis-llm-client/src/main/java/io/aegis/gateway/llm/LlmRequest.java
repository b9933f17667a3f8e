package io.aegis.gateway.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One chat request, independent of the provider that will answer it. Immutable and thread-safe;
 * build with {@link #builder()}.
 *
 * <p>Defaults: provider defaults for temperature and top-p; no output limit (the router reserves
 * budgets with {@link #DEFAULT_MAX_TOKENS} when none is given and Anthropic needs one); free-text
 * answer; no tools; no request type (the default route); no tenant; the client's mid-stream policy;
 * caching decided by the client (only deterministic requests, temperature 0).
 */
public final class LlmRequest {

    /** Output tokens assumed when a request sets no limit (budget reservation, Anthropic's required max_tokens). */
    public static final int DEFAULT_MAX_TOKENS = 1024;

    private final List<Message> messages;
    private final Double temperature;
    private final Double topP;
    private final Integer maxTokens;
    private final List<String> stop;
    private final ResponseFormat responseFormat;
    private final List<ToolDefinition> tools;
    private final String requestType;
    private final String tenant;
    private final String budgetKey;
    private final Boolean cacheable;
    private final MidStreamPolicy midStream;

    private LlmRequest(Builder b) {
        this.messages = List.copyOf(b.messages);
        this.temperature = b.temperature;
        this.topP = b.topP;
        this.maxTokens = b.maxTokens;
        this.stop = List.copyOf(b.stop);
        this.responseFormat = b.responseFormat;
        this.tools = List.copyOf(b.tools);
        this.requestType = b.requestType;
        this.tenant = b.tenant;
        this.budgetKey = b.budgetKey;
        this.cacheable = b.cacheable;
        this.midStream = b.midStream;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A request with one user message. */
    public static LlmRequest of(String userText) {
        return builder().user(userText).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.messages.addAll(messages);
        b.temperature = temperature;
        b.topP = topP;
        b.maxTokens = maxTokens;
        b.stop.addAll(stop);
        b.responseFormat = responseFormat;
        b.tools.addAll(tools);
        b.requestType = requestType;
        b.tenant = tenant;
        b.budgetKey = budgetKey;
        b.cacheable = cacheable;
        b.midStream = midStream;
        return b;
    }

    public List<Message> messages() {
        return messages;
    }

    /** The sampling temperature, or {@code null} for the provider's default. */
    public Double temperature() {
        return temperature;
    }

    /** Nucleus sampling, or {@code null}. */
    public Double topP() {
        return topP;
    }

    /** The output-token limit, or {@code null}. */
    public Integer maxTokens() {
        return maxTokens;
    }

    /** {@link #maxTokens()} or {@link #DEFAULT_MAX_TOKENS}. */
    public int maxTokensOrDefault() {
        return maxTokens == null ? DEFAULT_MAX_TOKENS : maxTokens;
    }

    public List<String> stop() {
        return stop;
    }

    public ResponseFormat responseFormat() {
        return responseFormat;
    }

    public List<ToolDefinition> tools() {
        return tools;
    }

    /** The caller's tag ({@code classification}, {@code extraction}, {@code chat}, {@code reasoning}, ...), or {@code null}. */
    public String requestType() {
        return requestType;
    }

    /** The tenant (cache partition, default budget key), or {@code null}. */
    public String tenant() {
        return tenant;
    }

    /** The key whose budget pays for the call: the explicit budget key, else the tenant, else {@code null} (no budget). */
    public String budgetKey() {
        return budgetKey != null ? budgetKey : tenant;
    }

    /** Explicit cache decision, or {@code null} to let the client decide. */
    public Boolean cacheable() {
        return cacheable;
    }

    /** The mid-stream policy of this call, or {@code null} for the client's. */
    public MidStreamPolicy midStream() {
        return midStream;
    }

    /** Whether the request is deterministic (temperature 0). */
    public boolean deterministic() {
        return temperature != null && temperature == 0.0;
    }

    @Override
    public String toString() {
        // Message texts are left out: they may hold personal data.
        return "LlmRequest[" + messages.size() + " messages, type " + requestType + ", tenant " + tenant
                + ", maxTokens " + maxTokens + ", temperature " + temperature + ", tools " + tools.size() + "]";
    }

    /** Builds an {@link LlmRequest}. Not thread-safe. */
    public static final class Builder {
        private final List<Message> messages = new ArrayList<>();
        private Double temperature;
        private Double topP;
        private Integer maxTokens;
        private final List<String> stop = new ArrayList<>();
        private ResponseFormat responseFormat = ResponseFormat.text();
        private final List<ToolDefinition> tools = new ArrayList<>();
        private String requestType;
        private String tenant;
        private String budgetKey;
        private Boolean cacheable;
        private MidStreamPolicy midStream;

        private Builder() {
        }

        public Builder message(Message message) {
            messages.add(Objects.requireNonNull(message, "message"));
            return this;
        }

        /** Removes the messages added so far. */
        public Builder clearMessages() {
            messages.clear();
            return this;
        }

        public Builder messages(List<Message> list) {
            list.forEach(this::message);
            return this;
        }

        public Builder system(String text) {
            return message(Message.system(text));
        }

        public Builder user(String text) {
            return message(Message.user(text));
        }

        public Builder assistant(String text) {
            return message(Message.assistant(text));
        }

        /** @throws IllegalArgumentException outside 0..2 */
        public Builder temperature(double t) {
            if (!(t >= 0 && t <= 2)) {
                throw new IllegalArgumentException("temperature: " + t + " (expected: 0..2)");
            }
            this.temperature = t;
            return this;
        }

        /** @throws IllegalArgumentException outside (0, 1] */
        public Builder topP(double p) {
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("topP: " + p + " (expected: > 0 and <= 1)");
            }
            this.topP = p;
            return this;
        }

        /** @throws IllegalArgumentException when not positive */
        public Builder maxTokens(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxTokens: " + n + " (expected: >= 1)");
            }
            this.maxTokens = n;
            return this;
        }

        /** Stop sequences (at most 4, as OpenAI allows). */
        public Builder stop(List<String> sequences) {
            if (sequences.size() > 4) {
                throw new IllegalArgumentException("stop: " + sequences.size() + " sequences (expected: at most 4)");
            }
            stop.clear();
            for (String s : sequences) {
                if (s == null || s.isEmpty()) {
                    throw new IllegalArgumentException("stop: empty sequence (expected: non-empty strings)");
                }
                stop.add(s);
            }
            return this;
        }

        public Builder responseFormat(ResponseFormat format) {
            this.responseFormat = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder tool(ToolDefinition tool) {
            tools.add(Objects.requireNonNull(tool, "tool"));
            return this;
        }

        /** Tags the request for request-type routing; {@code null} uses the default route. */
        public Builder requestType(String type) {
            if (type != null && !type.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("requestType: '" + type + "' (expected: lower-case letters, digits, '-')");
            }
            this.requestType = type;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        /** The key whose budget pays (an API key id, a user); defaults to the tenant. */
        public Builder budgetKey(String key) {
            this.budgetKey = key;
            return this;
        }

        /** Forces caching on ({@code true}) or off ({@code false}); {@code null} lets the client decide. */
        public Builder cacheable(Boolean cacheable) {
            this.cacheable = cacheable;
            return this;
        }

        public Builder midStream(MidStreamPolicy policy) {
            this.midStream = policy;
            return this;
        }

        /** @throws IllegalArgumentException without messages */
        public LlmRequest build() {
            if (messages.isEmpty()) {
                throw new IllegalArgumentException("messages: none (expected: at least one message)");
            }
            return new LlmRequest(this);
        }
    }
}
