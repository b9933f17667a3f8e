package io.aegis.gateway.llm;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The answer to one {@link LlmRequest}. Immutable and thread-safe.
 *
 * <p>{@code cost} is in US dollars, computed from {@link #usage()} and the price table; it is
 * {@code null} when the model has no price, and zero for a cache hit. {@code attempts} counts
 * every provider call the answer took (retries and failovers included; 0 for a cache hit).
 */
public final class LlmResponse {

    private final String content;
    private final FinishReason finishReason;
    private final List<ToolCall> toolCalls;
    private final Usage usage;
    private final String provider;
    private final String requestModel;
    private final String model;
    private final Duration latency;
    private final BigDecimal cost;
    private final boolean cacheHit;
    private final int attempts;

    private LlmResponse(Builder b) {
        this.content = b.content;
        this.finishReason = b.finishReason;
        this.toolCalls = List.copyOf(b.toolCalls);
        this.usage = b.usage;
        this.provider = b.provider;
        this.requestModel = b.requestModel;
        this.model = b.model == null ? b.requestModel : b.model;
        this.latency = b.latency;
        this.cost = b.cost;
        this.cacheHit = b.cacheHit;
        this.attempts = b.attempts;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().content(content).finishReason(finishReason).toolCalls(toolCalls).usage(usage)
                .provider(provider).requestModel(requestModel).model(model).latency(latency).cost(cost)
                .cacheHit(cacheHit).attempts(attempts);
        return b;
    }

    /** The generated text (empty when the model only called tools). */
    public String content() {
        return content;
    }

    public FinishReason finishReason() {
        return finishReason;
    }

    public List<ToolCall> toolCalls() {
        return toolCalls;
    }

    public Usage usage() {
        return usage;
    }

    /** The configured name of the provider that answered ({@code openai}, {@code local}, ...). */
    public String provider() {
        return provider;
    }

    /** The model asked for. */
    public String requestModel() {
        return requestModel;
    }

    /** The model that answered, as the provider names it (e.g. a dated snapshot). */
    public String model() {
        return model;
    }

    /** From the start of the call (first attempt) to the answer. */
    public Duration latency() {
        return latency;
    }

    /** The cost in US dollars, {@code null} when unknown. */
    public BigDecimal cost() {
        return cost;
    }

    public boolean cacheHit() {
        return cacheHit;
    }

    public int attempts() {
        return attempts;
    }

    @Override
    public String toString() {
        return "LlmResponse[" + provider + "/" + model + ", " + finishReason + ", " + content.length() + " chars, "
                + toolCalls.size() + " tool calls, " + usage + ", cost " + cost + (cacheHit ? ", cache hit" : "") + "]";
    }

    /** Builds an {@link LlmResponse}. Not thread-safe. */
    public static final class Builder {
        private String content = "";
        private FinishReason finishReason = FinishReason.STOP;
        private final List<ToolCall> toolCalls = new ArrayList<>();
        private Usage usage = Usage.none();
        private String provider = "unknown";
        private String requestModel = "unknown";
        private String model;
        private Duration latency = Duration.ZERO;
        private BigDecimal cost;
        private boolean cacheHit;
        private int attempts = 1;

        private Builder() {
        }

        public Builder content(String content) {
            this.content = content == null ? "" : content;
            return this;
        }

        public Builder finishReason(FinishReason reason) {
            this.finishReason = Objects.requireNonNull(reason, "reason");
            return this;
        }

        public Builder toolCalls(List<ToolCall> calls) {
            toolCalls.clear();
            toolCalls.addAll(calls);
            return this;
        }

        public Builder usage(Usage usage) {
            this.usage = Objects.requireNonNull(usage, "usage");
            return this;
        }

        public Builder provider(String provider) {
            this.provider = Objects.requireNonNull(provider, "provider");
            return this;
        }

        public Builder requestModel(String model) {
            this.requestModel = Objects.requireNonNull(model, "model");
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        public Builder cost(BigDecimal cost) {
            this.cost = cost;
            return this;
        }

        public Builder cacheHit(boolean hit) {
            this.cacheHit = hit;
            return this;
        }

        public Builder attempts(int attempts) {
            this.attempts = attempts;
            return this;
        }

        public LlmResponse build() {
            return new LlmResponse(this);
        }
    }
}
