package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.Usage;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * The client's metrics and spans after the OpenTelemetry GenAI semantic conventions:
 * {@code gen_ai.client.token.usage} (histogram, {@code {token}}, by {@code gen_ai.token.type}),
 * {@code gen_ai.client.operation.duration} (histogram, seconds, {@code error.type} on failure),
 * attributes {@code gen_ai.operation.name}, {@code gen_ai.provider.name} (and {@code gen_ai.system}
 * for older consumers), {@code gen_ai.request.model}, {@code gen_ai.response.model}; plus Aegis
 * counters for cost, cache hits and misses, failovers, validator failures and budget rejections.
 * One {@code chat <model>} client span per provider attempt.
 */
public final class LlmTelemetry {

    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
    public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    public static final AttributeKey<String> TOKEN_TYPE = AttributeKey.stringKey("gen_ai.token.type");
    public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
    public static final AttributeKey<String> CONFIGURED_PROVIDER = AttributeKey.stringKey("aegis.llm.provider");
    public static final AttributeKey<String> VALIDATOR = AttributeKey.stringKey("aegis.llm.validator");
    public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");

    private final Tracer tracer;
    private final LongHistogram tokens;
    private final DoubleHistogram duration;
    private final DoubleCounter cost;
    private final LongCounter cacheHits;
    private final LongCounter cacheMisses;
    private final LongCounter failovers;
    private final LongCounter validationFailures;
    private final LongCounter budgetRejections;
    private final LongCounter hedges;

    public LlmTelemetry(OpenTelemetry otel) {
        Meter meter = otel.getMeter("io.aegis.gateway.llm");
        this.tracer = otel.getTracer("io.aegis.gateway.llm");
        this.tokens = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
                .setDescription("Number of input and output tokens used")
                .setExplicitBucketBoundariesAdvice(List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L,
                        1048576L, 4194304L, 16777216L, 67108864L))
                .build();
        this.duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
                .setDescription("GenAI operation duration")
                .setExplicitBucketBoundariesAdvice(List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12,
                        10.24, 20.48, 40.96, 81.92))
                .build();
        this.cost = meter.counterBuilder("aegis.llm.cost").ofDoubles().setUnit("USD")
                .setDescription("Cost of LLM calls computed from usage and the price table").build();
        this.cacheHits = meter.counterBuilder("aegis.llm.cache.hits").setUnit("{request}")
                .setDescription("Answers served from the response cache").build();
        this.cacheMisses = meter.counterBuilder("aegis.llm.cache.misses").setUnit("{request}")
                .setDescription("Cacheable requests not found in the response cache").build();
        this.failovers = meter.counterBuilder("aegis.llm.failovers").setUnit("{failover}")
                .setDescription("Moves from a failed candidate to the next").build();
        this.validationFailures = meter.counterBuilder("aegis.llm.validation.failures").setUnit("{answer}")
                .setDescription("Answers refused by a quality validator").build();
        this.budgetRejections = meter.counterBuilder("aegis.llm.budget.rejections").setUnit("{request}")
                .setDescription("Calls refused because a budget could not cover their worst case").build();
        this.hedges = meter.counterBuilder("aegis.llm.hedges").setUnit("{request}")
                .setDescription("Second candidates started because the first was slow").build();
    }

    static Attributes base(String genAiProvider, String configured, String requestModel, String responseModel) {
        AttributesBuilder b = Attributes.builder().put(OPERATION, "chat").put(PROVIDER, genAiProvider)
                .put(SYSTEM, genAiProvider).put(REQUEST_MODEL, requestModel).put(CONFIGURED_PROVIDER, configured);
        if (responseModel != null) {
            b.put(RESPONSE_MODEL, responseModel);
        }
        return b.build();
    }

    /** Starts the span of one provider attempt. */
    public Span startAttempt(String genAiProvider, String configured, String model, boolean stream) {
        return tracer.spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT)
                .setAllAttributes(base(genAiProvider, configured, model, null))
                .setAttribute("gen_ai.request.stream", stream).startSpan();
    }

    /** A successful provider call. */
    public void success(Span span, String genAiProvider, String configured, String requestModel, String responseModel,
                        Usage usage, double seconds, BigDecimal costUsd) {
        Attributes a = base(genAiProvider, configured, requestModel, responseModel);
        tokens.record(usage.inputTokens(), a.toBuilder().put(TOKEN_TYPE, "input").build());
        tokens.record(usage.outputTokens(), a.toBuilder().put(TOKEN_TYPE, "output").build());
        duration.record(seconds, a);
        if (costUsd != null) {
            cost.add(costUsd.doubleValue(), a);
        }
        if (span != null) {
            if (responseModel != null) {
                span.setAttribute(RESPONSE_MODEL, responseModel);
            }
            span.setAttribute(INPUT_TOKENS, usage.inputTokens());
            span.setAttribute(OUTPUT_TOKENS, usage.outputTokens());
            span.end();
        }
    }

    /** A failed provider call. */
    public void failure(Span span, String genAiProvider, String configured, String requestModel, LlmException e,
                        double seconds) {
        String type = e.kind().name().toLowerCase(Locale.ROOT);
        duration.record(seconds, base(genAiProvider, configured, requestModel, null).toBuilder().put(ERROR_TYPE, type).build());
        if (span != null) {
            span.setAttribute(ERROR_TYPE, type);
            span.setStatus(StatusCode.ERROR, e.kind().name());
            span.end();
        }
    }

    public void cacheHit() {
        cacheHits.add(1);
    }

    public void cacheMiss() {
        cacheMisses.add(1);
    }

    public void failover(String fromProvider, String fromModel, LlmException cause) {
        failovers.add(1, Attributes.builder().put(CONFIGURED_PROVIDER, fromProvider).put(REQUEST_MODEL, fromModel)
                .put(ERROR_TYPE, cause.kind().name().toLowerCase(Locale.ROOT)).build());
    }

    public void validationFailure(String validator, String provider, String model) {
        validationFailures.add(1, Attributes.builder().put(VALIDATOR, validator).put(CONFIGURED_PROVIDER, provider)
                .put(REQUEST_MODEL, model).build());
    }

    public void hedge(String slowCandidate) {
        hedges.add(1);
    }

    public void budgetRejected() {
        budgetRejections.add(1);
    }
}
