package io.aegis.gateway.benchmarks;

import io.aegis.gateway.llm.LlmClient;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.LlmStreams;
import io.aegis.gateway.llm.ProviderSettings;
import io.aegis.gateway.llm.Usage;
import io.aegis.gateway.llm.WireFormat;
import io.aegis.gateway.llm.budget.BudgetLimits;
import io.aegis.gateway.llm.cost.ModelPrice;
import io.aegis.gateway.llm.cost.PriceTable;
import java.math.BigDecimal;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the LLM client adds around a provider, measured with the in-process echo provider (no
 * network): routing, breaker, budget reservation and settlement, validation, telemetry (no-op) for
 * a call; plus the event pipeline of a ~40-delta stream; and the cost of one call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LlmClientBenchmark {

    LlmClient client;
    LlmRequest call;
    LlmRequest stream;
    ModelPrice sonnet;
    Usage usage;

    @Setup(Level.Trial)
    public void setUp() {
        client = LlmClient.builder()
                .provider(ProviderSettings.builder("echo", WireFormat.ECHO).build())
                .budgetLimits(BudgetLimits.usd(new BigDecimal("1000000"), null))
                .cache(null)
                .build();
        call = LlmRequest.builder().system("Phrase it in one sentence.").user("Recommend 'Clean Code' to a reader of 'Refactoring'.")
                .tenant("acme").maxTokens(120).build();
        stream = LlmRequest.builder().user("word ".repeat(40)).tenant("acme").build();
        sonnet = PriceTable.defaults().find("anthropic", "claude-sonnet-4-5").orElseThrow();
        usage = new Usage(32_100, 50, 30_000, 2_000, 0, false);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        client.close();
    }

    @Benchmark
    public LlmResponse completeThroughTheRouter() {
        return client.complete(call);
    }

    @Benchmark
    public LlmResponse streamOfFortyDeltas() {
        return LlmStreams.collect(client.stream(stream)).join();
    }

    @Benchmark
    public BigDecimal costOfOneCall() {
        return sonnet.cost(usage);
    }
}
