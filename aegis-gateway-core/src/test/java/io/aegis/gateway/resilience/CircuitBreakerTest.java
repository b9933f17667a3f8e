package io.aegis.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.resilience.internal.CircuitBreaker;
import io.aegis.gateway.resilience.internal.CircuitBreaker.Permit;
import io.aegis.gateway.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The breaker as a state machine, on a manual clock. */
class CircuitBreakerTest {

    final ManualTicker ticker = new ManualTicker();
    final List<String> transitions = new ArrayList<>();

    CircuitBreaker breaker(CircuitBreakerSettings s) {
        return new CircuitBreaker(s, ticker, (from, to, reason) -> transitions.add(from + ">" + to));
    }

    @Test
    void countThresholdLooksAtTheLastNCallsOnly() {
        CircuitBreaker b = breaker(CircuitBreakerSettings.builder().failureThreshold(3, 5).build());
        // F S S S F S F: never 3 failures among any 5 consecutive
        boolean[] outcomes = {false, true, true, true, false, true, false};
        for (boolean ok : outcomes) {
            b.record(b.tryAcquire(), ok);
        }
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
        b.record(b.tryAcquire(), false); // F S F S F... last five: S F S F F -> 3
        assertThat(b.state()).isEqualTo(CircuitState.OPEN);
        assertThat(transitions).containsExactly("CLOSED>OPEN");
    }

    @Test
    void halfOpenAdmitsAFixedNumberOfProbes() {
        CircuitBreaker b = breaker(CircuitBreakerSettings.builder().failureThreshold(1, 1)
                .openDuration(Duration.ofSeconds(10)).halfOpenCalls(2).build());
        b.record(b.tryAcquire(), false);
        assertThat(b.tryAcquire()).isEqualTo(Permit.DENIED);
        ticker.advance(Duration.ofSeconds(10));
        Permit p1 = b.tryAcquire();
        Permit p2 = b.tryAcquire();
        assertThat(List.of(p1, p2)).containsOnly(Permit.PROBE);
        assertThat(b.tryAcquire()).isEqualTo(Permit.DENIED);
        b.release(p2); // a probe that never went out gives its slot back
        Permit p3 = b.tryAcquire();
        assertThat(p3).isEqualTo(Permit.PROBE);
        b.record(p1, true);
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
        b.record(p3, true);
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(transitions).containsExactly("CLOSED>OPEN", "OPEN>HALF_OPEN", "HALF_OPEN>CLOSED");
    }

    @Test
    void callsStartedBeforeOpeningDoNotDecideTheRecovery() {
        CircuitBreaker b = breaker(CircuitBreakerSettings.builder().failureThreshold(1, 1)
                .openDuration(Duration.ofSeconds(1)).halfOpenCalls(1).build());
        Permit slow = b.tryAcquire();
        b.record(b.tryAcquire(), false);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
        b.record(slow, true); // a normal call that finished late is not a probe
        assertThat(b.state()).isEqualTo(CircuitState.HALF_OPEN);
    }

    @Test
    void disabledNeverOpens() {
        CircuitBreaker b = breaker(CircuitBreakerSettings.disabled());
        for (int i = 0; i < 100; i++) {
            b.record(b.tryAcquire(), false);
        }
        assertThat(b.state()).isEqualTo(CircuitState.CLOSED);
        assertThat(b.tryAcquire()).isEqualTo(Permit.NORMAL);
    }

    @Test
    void concurrentCallersNeverExceedTheProbeLimit() throws Exception {
        CircuitBreaker b = breaker(CircuitBreakerSettings.builder().failureThreshold(1, 1)
                .openDuration(Duration.ofSeconds(1)).halfOpenCalls(3).build());
        b.record(b.tryAcquire(), false);
        ticker.advance(Duration.ofSeconds(1));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger probes = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 64; i++) {
            pool.submit(() -> {
                start.await();
                if (b.tryAcquire() == Permit.PROBE) {
                    probes.incrementAndGet();
                }
                return null;
            });
        }
        start.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(probes.get()).isEqualTo(3);
    }
}
