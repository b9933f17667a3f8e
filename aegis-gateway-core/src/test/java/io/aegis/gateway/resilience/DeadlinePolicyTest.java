package io.aegis.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.ManualTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlinePolicyTest {

    final ManualTicker ticker = new ManualTicker();
    final DeadlinePolicy policy = new DeadlinePolicy(ticker);

    @Test
    void aPropagatedDeadlineReachesTheApplicationThroughTheCallContext() {
        Exchange ex = new Exchange(FakeRequest.get("/x").header(Deadline.HEADER, "800").header("Authorization", "Bearer t"));
        assertThat(policy.evaluate(ex).proceeds()).isTrue();
        ticker.advance(Duration.ofMillis(300));
        CallContext ctx = CallContext.from(ex);
        assertThat(ctx.deadline().remaining()).isEqualTo(Duration.ofMillis(500));
        assertThat(ctx.authorization()).isEqualTo("Bearer t");
        assertThat(ctx.toString()).doesNotContain("Bearer t");
    }

    @Test
    void noHeaderNoDeadline() {
        Exchange ex = new Exchange(FakeRequest.get("/x"));
        assertThat(policy.evaluate(ex).proceeds()).isTrue();
        assertThat(CallContext.from(ex).deadline()).isNull();
    }

    @Test
    void anExhaustedDeadlineIs504() {
        Decision d = policy.evaluate(new Exchange(FakeRequest.get("/x").header(Deadline.HEADER, "0")));
        assertThat(d.rejects()).isTrue();
        assertThat(d.problem().type()).isEqualTo(ProblemType.DEADLINE_EXCEEDED);
        assertThat(d.problem().status()).isEqualTo(504);
    }

    @Test
    void malformedOrRepeatedHeadersAre400() {
        for (String v : new String[] {"-1", "soon", "1.5", "12345678901", ""}) {
            Decision d = policy.evaluate(new Exchange(FakeRequest.get("/x").header(Deadline.HEADER, v)));
            assertThat(d.problem().type()).as(v).isEqualTo(ProblemType.BAD_REQUEST);
        }
        Decision twice = policy.evaluate(new Exchange(FakeRequest.get("/x").header(Deadline.HEADER, "10")
                .header(Deadline.HEADER, "20")));
        assertThat(twice.problem().type()).isEqualTo(ProblemType.BAD_REQUEST);
    }
}
