package io.aegis.gateway.resilience;

import static io.aegis.gateway.testing.FlakyUpstream.ok;
import static io.aegis.gateway.testing.FlakyUpstream.reset;
import static io.aegis.gateway.testing.FlakyUpstream.slow;
import static io.aegis.gateway.testing.FlakyUpstream.stall;
import static io.aegis.gateway.testing.FlakyUpstream.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.aegis.gateway.resilience.spi.OutboundCredentials;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.FlakyUpstream;
import io.aegis.gateway.testing.ManualTicker;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The outbound client against real HTTP upstreams (embedded Jetty) that fail on command: circuit
 * breakers on an injected clock, retries, budgets, idempotency, load spreading, outlier ejection,
 * fallbacks, runtime changes, and no leaks.
 */
class ServiceClientIT {

    final List<AutoCloseable> closeables = new ArrayList<>();
    final List<GatewayEvent> events = new CopyOnWriteArrayList<>();
    final GatewayEvents sink = new GatewayEvents().addListener(events::add);
    final ManualTicker ticker = new ManualTicker();

    @AfterEach
    void close() throws Exception {
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    FlakyUpstream upstream(String name) {
        FlakyUpstream u = new FlakyUpstream(name);
        closeables.add(u);
        return u;
    }

    ServiceClient client(UpstreamPolicy policy, ServiceClient.Builder... ignored) {
        return client(ServiceClient.builder(policy));
    }

    ServiceClient client(ServiceClient.Builder b) {
        ServiceClient c = b.events(sink).build();
        closeables.add(c);
        return c;
    }

    /** A policy over these upstreams with quick backoff and nothing that would hide a test's subject. */
    static UpstreamPolicy.Builder policy(FlakyUpstream... ups) {
        UpstreamPolicy.Builder b = UpstreamPolicy.builder("users")
                .timeouts(new Timeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(5)))
                .retry(RetrySettings.builder().maxAttempts(1).backoff(Duration.ofMillis(1), Duration.ofMillis(4)).build())
                .circuitBreaker(CircuitBreakerSettings.disabled())
                .outlierDetection(OutlierDetection.disabled());
        for (FlakyUpstream u : ups) {
            b.target(Target.of("127.0.0.1", u.port()));
        }
        return b;
    }

    static int deadPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    List<String> eventTypes() {
        return events.stream().map(GatewayEvent::type).toList();
    }

    // --- circuit breaker ---------------------------------------------------------------------

    @Test
    void breakerOpensOnCountAndClosesOnScheduleWithTheInjectedClock() {
        FlakyUpstream u = upstream("a").respondWith(status(503));
        ServiceClient c = client(ServiceClient.builder(policy(u).circuitBreaker(CircuitBreakerSettings.builder()
                .failureThreshold(3, 5).openDuration(Duration.ofSeconds(30)).halfOpenCalls(2).build()).build())
                .ticker(ticker));

        for (int i = 0; i < 3; i++) {
            assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(503);
        }
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.OPEN);
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CIRCUIT_OPEN));
        assertThat(u.requests()).isEqualTo(3);

        ticker.advance(Duration.ofSeconds(29));
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.OPEN);
        ticker.advance(Duration.ofSeconds(1));
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.HALF_OPEN);

        // a failed probe opens it again for another open duration
        assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(503);
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.OPEN);
        ticker.advance(Duration.ofSeconds(30));

        u.respondWith(ok("{}"));
        assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(200);
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.HALF_OPEN);
        assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(200);
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.CLOSED);
        assertThat(eventTypes()).containsSubsequence(ResilienceEvents.CIRCUIT_OPENED, ResilienceEvents.CIRCUIT_HALF_OPEN,
                ResilienceEvents.CIRCUIT_OPENED, ResilienceEvents.CIRCUIT_HALF_OPEN, ResilienceEvents.CIRCUIT_CLOSED);
    }

    @Test
    void breakerOpensOnTheFailureRateOverTime() {
        FlakyUpstream u = upstream("a");
        ServiceClient c = client(ServiceClient.builder(policy(u).circuitBreaker(CircuitBreakerSettings.builder()
                .failureThreshold(10, 10).failureRate(50, Duration.ofSeconds(10), 6).build()).build()).ticker(ticker));
        u.enqueue(ok("{}"), status(500), ok("{}"), status(500), ok("{}"));
        for (int i = 0; i < 5; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.CLOSED); // 5 calls: below the minimum
        // the first failures fall out of the window: the rate looks at the last 10 s only
        ticker.advance(Duration.ofSeconds(11));
        u.enqueue(ok("{}"), ok("{}"), ok("{}"), status(502), status(502));
        for (int i = 0; i < 5; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.CLOSED); // 2 of 5 in the window
        u.enqueue(status(503));
        c.send(CallContext.none(), OutboundRequest.get("/x"));
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.OPEN); // 3 of 6 = 50%
    }

    // --- retries -----------------------------------------------------------------------------

    @Test
    void retriesUntilSuccessOnAnotherTry() {
        FlakyUpstream u = upstream("a").enqueue(status(503), reset());
        ServiceClient c = client(policy(u).retry(RetrySettings.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5)).build()).build());
        // POST marked retryable: the JDK client itself never repeats a POST, so every try is ours
        // (it silently repeats an idempotent request once when a pooled connection turns out dead)
        OutboundResponse r = c.send(CallContext.none(), OutboundRequest.builder("POST", "/x").retryable(true).build());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(u.requests()).isEqualTo(3);
    }

    @Test
    void retriesStopAtTheBudget() {
        FlakyUpstream u = upstream("a").respondWith(status(503)).recording(false);
        ServiceClient c = client(ServiceClient.builder(policy(u).retry(RetrySettings.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).budget(0.2, 0, Duration.ofSeconds(10)).build())
                .build()).ticker(ticker));
        for (int i = 0; i < 100; i++) {
            assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(503);
        }
        int retries = u.requests() - 100;
        assertThat(retries).isBetween(15, 20); // 20% of the calls at most, but more than one per call never
        assertThat(eventTypes()).contains(ResilienceEvents.RETRY_BUDGET_EXHAUSTED);

        // the window slides: after it, the budget starts afresh with the floor of retries per second
        ticker.advance(Duration.ofSeconds(11));
        u.resetState();
        u.respondWith(status(503));
        c.send(CallContext.none(), OutboundRequest.get("/x"));
        assertThat(u.requests()).isEqualTo(1); // 1 call: 20% of it is not a whole retry
    }

    @Test
    void retryAfterIsHonoured() {
        FlakyUpstream u = upstream("a").enqueue(status(503, "1"));
        ServiceClient c = client(policy(u).retry(RetrySettings.builder().maxAttempts(2)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()).build());
        long start = System.nanoTime();
        assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(950));

        // a Retry-After beyond the deadline ends the call instead of waiting
        u.enqueue(status(503, "30"));
        start = System.nanoTime();
        assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void postIsNeverRetriedUnlessMarked() throws Exception {
        FlakyUpstream u = upstream("a").respondWith(status(503));
        ServiceClient c = client(policy(u).retry(RetrySettings.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()).build());

        assertThat(c.send(CallContext.none(), OutboundRequest.postJson("/x", "{}")).status()).isEqualTo(503);
        assertThat(u.requests()).isEqualTo(1);

        u.resetState();
        u.enqueue(reset());
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.postJson("/x", "{}")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> {
                    assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CONNECTION_LOST);
                    assertThat(e.sent()).isTrue();
                });
        assertThat(u.requests()).isEqualTo(1);

        u.resetState();
        u.respondWith(status(503));
        OutboundRequest marked = OutboundRequest.builder("POST", "/x").body("{}".getBytes()).retryable(true).build();
        assertThat(c.send(CallContext.none(), marked).status()).isEqualTo(503);
        assertThat(u.requests()).isEqualTo(3);

        // a POST that failed before it was sent (connection refused) is retried, on another target
        u.resetState();
        ServiceClient two = client(UpstreamPolicy.builder("users").target(Target.of("127.0.0.1", deadPort()))
                .target(Target.of("127.0.0.1", u.port())).loadBalancing(LoadBalancing.ROUND_ROBIN)
                .retry(RetrySettings.builder().maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build())
                .circuitBreaker(CircuitBreakerSettings.disabled()).outlierDetection(OutlierDetection.disabled()).build());
        for (int i = 0; i < 4; i++) {
            assertThat(two.send(CallContext.none(), OutboundRequest.postJson("/x", "{\"n\":" + i + "}")).status()).isEqualTo(200);
        }
        assertThat(u.requests()).isEqualTo(4);
        assertThat(u.received()).allMatch(r -> r.method().equals("POST"));
    }

    // --- load balancing ----------------------------------------------------------------------

    @Test
    void loadSpreadsByWeight() {
        FlakyUpstream a = upstream("a");
        FlakyUpstream b = upstream("b");
        FlakyUpstream c3 = upstream("c");
        for (LoadBalancing lb : List.of(LoadBalancing.WEIGHTED_ROUND_ROBIN, LoadBalancing.LEAST_REQUESTS)) {
            for (FlakyUpstream u : List.of(a, b, c3)) {
                u.resetState();
                u.recording(false);
            }
            ServiceClient c = client(ServiceClient.builder(policy().targets(List.of(Target.of("127.0.0.1", a.port(), 1),
                    Target.of("127.0.0.1", b.port(), 3), Target.of("127.0.0.1", c3.port(), 6))).loadBalancing(lb).build())
                    .random(new Random(42)));
            int n = 2000;
            for (int i = 0; i < n; i++) {
                c.send(CallContext.none(), OutboundRequest.get("/x"));
            }
            // expected shares 10%, 30%, 60%; the statistical tolerance is 3 points (several standard deviations at n = 2000)
            assertThat(a.requests() / (double) n).as(lb + " a").isCloseTo(0.1, within(0.03));
            assertThat(b.requests() / (double) n).as(lb + " b").isCloseTo(0.3, within(0.03));
            assertThat(c3.requests() / (double) n).as(lb + " c").isCloseTo(0.6, within(0.03));
            if (lb == LoadBalancing.WEIGHTED_ROUND_ROBIN) {
                assertThat(List.of(a.requests(), b.requests(), c3.requests())).containsExactly(200, 600, 1200);
            }
        }
    }

    @Test
    void concurrentCallersShareTheWeightsExactly() throws Exception {
        FlakyUpstream a = upstream("a").recording(false);
        FlakyUpstream b = upstream("b").recording(false);
        ServiceClient c = client(policy().targets(List.of(Target.of("127.0.0.1", a.port(), 1),
                Target.of("127.0.0.1", b.port(), 3))).build());
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 100; i++) {
                    assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(200);
                }
            }));
        }
        for (java.util.concurrent.Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(List.of(a.requests(), b.requests())).containsExactly(200, 600);
        assertThat(c.targets()).allSatisfy(t -> assertThat(t.inFlight()).isZero());
    }

    @Test
    void priorityFailsOverToTheNextLevel() throws Exception {
        FlakyUpstream primary = upstream("p");
        FlakyUpstream backup = upstream("b");
        ServiceClient c = client(ServiceClient.builder(policy().targets(List.of(new Target("127.0.0.1", primary.port(), 1, 0),
                new Target("127.0.0.1", backup.port(), 1, 1))).loadBalancing(LoadBalancing.PRIORITY)
                .circuitBreaker(CircuitBreakerSettings.builder().failureThreshold(2, 2).build()).build()).ticker(ticker));
        for (int i = 0; i < 10; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(primary.requests()).isEqualTo(10);
        assertThat(backup.requests()).isZero();
        primary.respondWith(status(503));
        c.send(CallContext.none(), OutboundRequest.get("/x"));
        c.send(CallContext.none(), OutboundRequest.get("/x"));
        for (int i = 0; i < 5; i++) {
            assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(200);
        }
        assertThat(backup.requests()).isEqualTo(5);
    }

    @Test
    void ejectedTargetReturnsAfterRecovery() {
        FlakyUpstream bad = upstream("bad").respondWith(status(503));
        FlakyUpstream good = upstream("good");
        ServiceClient c = client(ServiceClient.builder(policy(bad, good).loadBalancing(LoadBalancing.ROUND_ROBIN)
                .outlierDetection(new OutlierDetection(true, 3, 3, Duration.ofSeconds(30), Duration.ofMinutes(5), 50))
                .build()).ticker(ticker));
        for (int i = 0; i < 6; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(bad.requests()).isEqualTo(3);
        TargetStatus s = c.targets().get(0);
        assertThat(s.ejectedFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.available()).isFalse();
        for (int i = 0; i < 10; i++) {
            assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(200);
        }
        assertThat(bad.requests()).isEqualTo(3);

        // still failing when it returns: the second ejection lasts twice as long
        ticker.advance(Duration.ofSeconds(30));
        for (int i = 0; i < 6; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(c.targets().get(0).ejectedFor()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.targets().get(0).ejections()).isEqualTo(2);

        // recovered: back in the pool after its ejection, and answering
        bad.respondWith(ok("{}"));
        ticker.advance(Duration.ofSeconds(60));
        bad.resetState();
        for (int i = 0; i < 10; i++) {
            assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).status()).isEqualTo(200);
        }
        assertThat(bad.requests()).isEqualTo(5);
        assertThat(eventTypes()).containsSubsequence(ResilienceEvents.TARGET_EJECTED, ResilienceEvents.TARGET_RETURNED,
                ResilienceEvents.TARGET_EJECTED, ResilienceEvents.TARGET_RETURNED);
    }

    @Test
    void ejectionIsCappedToAShareOfTheTargets() {
        FlakyUpstream a = upstream("a").respondWith(status(500));
        FlakyUpstream b = upstream("b").respondWith(status(500));
        ServiceClient c = client(ServiceClient.builder(policy(a, b).loadBalancing(LoadBalancing.ROUND_ROBIN)
                .outlierDetection(new OutlierDetection(true, 2, 2, Duration.ofSeconds(30), Duration.ofMinutes(5), 50))
                .build()).ticker(ticker));
        for (int i = 0; i < 20; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(c.targets().stream().filter(t -> !t.ejectedFor().isZero())).hasSize(1);
    }

    @Test
    void activeHealthChecksTakeTargetsOutAndBack() {
        FlakyUpstream a = upstream("a").route("/health", status(503));
        FlakyUpstream b = upstream("b").route("/health", ok("{}"));
        ServiceClient c = client(policy(a, b).healthCheck(new HealthCheckSettings("/health", Duration.ofHours(1),
                Duration.ofMillis(500), 2, 2)).build());
        c.checkHealthNow(); // the scheduler's first round may have run too; thresholds need two in a row
        c.checkHealthNow();
        assertThat(c.targets().get(0).healthy()).isFalse();
        for (int i = 0; i < 6; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(a.requests()).isZero();
        a.route("/health", ok("{}"));
        c.checkHealthNow();
        c.checkHealthNow();
        assertThat(c.targets().get(0).healthy()).isTrue();
        for (int i = 0; i < 6; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(a.requests()).isEqualTo(3);
        assertThat(eventTypes()).containsSubsequence(ResilienceEvents.TARGET_UNHEALTHY, ResilienceEvents.TARGET_HEALTHY);
    }

    // --- fallbacks -----------------------------------------------------------------------------

    @Test
    void fallbackAnswersWhenEverythingIsDown() throws Exception {
        FlakyUpstream u = upstream("a").respondWith(ok("{\"v\":1}"));
        UpstreamPolicy p = policy(u).target(Target.of("127.0.0.1", deadPort())).build();
        ServiceClient c = client(ServiceClient.builder(p).fallback(Fallback.lastGood()));
        assertThat(c.send(CallContext.none(), OutboundRequest.get("/users/1")).bodyText()).isEqualTo("{\"v\":1}");
        assertThat(c.send(CallContext.none(), OutboundRequest.get("/users/1")).bodyText()).isEqualTo("{\"v\":1}");
        u.close();

        for (int i = 0; i < 3; i++) {
            OutboundResponse r = c.send(CallContext.none(), OutboundRequest.get("/users/1"));
            assertThat(r.fromFallback()).isTrue();
            assertThat(r.fallback()).isEqualTo(Fallback.LAST_GOOD);
            assertThat(r.bodyText()).isEqualTo("{\"v\":1}");
        }
        // nothing cached for this one: the call fails as without a fallback
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/users/2")))
                .isInstanceOf(UpstreamException.class);
        // a value and a function
        OutboundResponse v = c.send(CallContext.none(), OutboundRequest.builder("GET", "/users/2")
                .fallback(Fallback.value(OutboundResponse.json("{\"v\":0}"))).build());
        assertThat(v.bodyText()).isEqualTo("{\"v\":0}");
        assertThat(v.fallback()).isEqualTo(Fallback.VALUE);
        OutboundResponse f = c.send(CallContext.none(), OutboundRequest.builder("GET", "/users/3")
                .fallback(Fallback.of(failure -> OutboundResponse.json("{\"why\":\"" + failure.exception().kind() + "\"}")))
                .build());
        assertThat(f.bodyText()).isEqualTo("{\"why\":\"CONNECT_FAILED\"}");
        assertThat(eventTypes()).contains(ResilienceEvents.FALLBACK);
    }

    // --- composition order ---------------------------------------------------------------------

    @Test
    void fallbackWrapsRetry() {
        FlakyUpstream u = upstream("a").enqueue(status(503), status(503));
        ServiceClient c = client(ServiceClient.builder(policy(u).retry(RetrySettings.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()).build())
                .fallback(Fallback.value(OutboundResponse.json("{}"))));
        OutboundResponse r = c.send(CallContext.none(), OutboundRequest.get("/x"));
        assertThat(r.fromFallback()).isFalse(); // retries ran inside the fallback and succeeded
        assertThat(r.attempts()).isEqualTo(3);
        u.respondWith(status(503));
        OutboundResponse fb = c.send(CallContext.none(), OutboundRequest.get("/x"));
        assertThat(fb.fromFallback()).isTrue();
        assertThat(fb.attempts()).isEqualTo(3); // the fallback answered only after every retry
    }

    @Test
    void openCircuitFailsFastWithoutRetryOrBulkhead() {
        FlakyUpstream u = upstream("a").respondWith(status(503));
        ServiceClient c = client(ServiceClient.builder(policy(u).retry(RetrySettings.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).budget(1.0, 100, Duration.ofSeconds(10)).build())
                .circuitBreaker(CircuitBreakerSettings.builder().failureThreshold(2, 2).build())
                .bulkhead(new BulkheadSettings(1, 0, Duration.ZERO)).build()).ticker(ticker));
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CIRCUIT_OPEN));
        assertThat(u.requests()).isEqualTo(2); // the third try found the circuit open and was not retried
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CIRCUIT_OPEN));
        assertThat(u.requests()).isEqualTo(2);
    }

    @Test
    void fullBulkheadFailsFastAndDoesNotCountAgainstTheBreaker() throws Exception {
        FlakyUpstream u = upstream("a").respondWith(slow(Duration.ofMillis(600)));
        ServiceClient c = client(ServiceClient.builder(policy(u).retry(RetrySettings.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build())
                .circuitBreaker(CircuitBreakerSettings.builder().failureThreshold(1, 1).build())
                .bulkhead(new BulkheadSettings(1, 1, Duration.ofMillis(50))).build()).ticker(ticker));
        CompletableFuture<OutboundResponse> first = c.sendAsync(CallContext.none(), OutboundRequest.get("/x"));
        while (u.maxInFlight() == 0) {
            Thread.sleep(5);
        }
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.BULKHEAD_FULL));
        assertThat(first.get().status()).isEqualTo(200);
        assertThat(u.requests()).isEqualTo(1);
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void perTryTimeoutIsRetriedAndCountsAgainstTheBreaker() {
        FlakyUpstream u = upstream("a").enqueue(slow(Duration.ofMillis(800)));
        ServiceClient c = client(ServiceClient.builder(policy(u)
                .timeouts(new Timeouts(Duration.ofMillis(500), Duration.ofMillis(150), Duration.ofSeconds(3)))
                .retry(RetrySettings.builder().maxAttempts(2).backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build())
                .circuitBreaker(CircuitBreakerSettings.builder().failureThreshold(2, 3).build()).build()).ticker(ticker));
        OutboundResponse r = c.send(CallContext.none(), OutboundRequest.get("/x"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.attempts()).isEqualTo(2);
        u.enqueue(slow(Duration.ofMillis(800)));
        // two timeouts among the last three tries open the circuit; the retry then finds it open
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CIRCUIT_OPEN));
        assertThat(c.targets().get(0).circuit()).isEqualTo(CircuitState.OPEN);
        assertThat(u.requests()).isEqualTo(3);
    }

    @Test
    void totalDeadlineBoundsEveryTry() {
        FlakyUpstream u = upstream("a").respondWith(stall());
        ServiceClient c = client(policy(u).timeouts(new Timeouts(Duration.ofMillis(500), Duration.ofMillis(200),
                Duration.ofMillis(450))).retry(RetrySettings.builder().maxAttempts(10)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).budget(1.0, 100, Duration.ofSeconds(10)).build()).build());
        long start = System.nanoTime();
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind())
                        .isIn(UpstreamException.Kind.DEADLINE_EXCEEDED, UpstreamException.Kind.TIMEOUT));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        assertThat(u.requests()).isBetween(2, 3);

        // the caller's propagated deadline is sooner still
        u.resetState();
        u.respondWith(stall());
        CallContext ctx = CallContext.builder().deadline(Deadline.after(Duration.ofMillis(120))).build();
        start = System.nanoTime();
        assertThatThrownBy(() -> c.send(ctx, OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.DEADLINE_EXCEEDED));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1000));
        assertThat(Long.parseLong(u.last().header(Deadline.HEADER))).isBetween(1L, 120L);
    }

    @Test
    void anOversizedAnswerFailsWithoutRetry() {
        FlakyUpstream u = upstream("a").respondWith(ok("x".repeat(ServiceClient.MAX_RESPONSE_BYTES + 1)));
        ServiceClient c = client(policy(u).retry(RetrySettings.builder().maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build()).build());
        assertThatThrownBy(() -> c.send(CallContext.none(), OutboundRequest.get("/x")))
                .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.RESPONSE_TOO_LARGE));
        assertThat(u.requests()).isEqualTo(1);
    }

    // --- propagation ---------------------------------------------------------------------------

    @Test
    void identityIsForwardedReplacedOrDropped() {
        FlakyUpstream u = upstream("a");
        CallContext caller = CallContext.builder().authorization("Bearer caller-token").build();
        ServiceClient forward = client(policy(u).build());
        forward.send(caller, OutboundRequest.get("/x"));
        assertThat(u.last().header("Authorization")).isEqualTo("Bearer caller-token");
        forward.send(CallContext.none(), OutboundRequest.get("/x"));
        assertThat(u.last().header("Authorization")).isNull();

        ServiceClient own = client(ServiceClient.builder(policy(u).identity(IdentityPropagation.CREDENTIALS).build())
                .credentials(OutboundCredentials.staticToken("service-token")));
        own.send(caller, OutboundRequest.get("/x"));
        assertThat(u.last().header("Authorization")).isEqualTo("Bearer service-token");

        ServiceClient none = client(policy(u).identity(IdentityPropagation.NONE).build());
        none.send(caller, OutboundRequest.get("/x"));
        assertThat(u.last().header("Authorization")).isNull();

        assertThatThrownBy(() -> ServiceClient.builder(policy(u).identity(IdentityPropagation.CREDENTIALS).build()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OutboundCredentials");
    }

    @Test
    void traceContextAndDeadlinePassThroughWithoutAnSdk() {
        FlakyUpstream u = upstream("a");
        ServiceClient c = client(policy(u).build());
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        CallContext ctx = CallContext.builder().inboundTraceHeader("traceparent", traceparent)
                .inboundTraceHeader("baggage", "tenant=acme").build();
        c.send(ctx, OutboundRequest.get("/x"));
        assertThat(u.last().header("traceparent")).isEqualTo(traceparent);
        assertThat(u.last().header("baggage")).isEqualTo("tenant=acme");
        assertThat(Long.parseLong(u.last().header(Deadline.HEADER))).isBetween(1L, 2000L);
    }

    // --- runtime changes -----------------------------------------------------------------------

    @Test
    void targetsChangeAtRunTimeWithoutDroppingCallsInFlight() throws Exception {
        FlakyUpstream a = upstream("a").respondWith(slow(Duration.ofMillis(400)));
        FlakyUpstream b = upstream("b");
        ServiceClient c = client(policy(a).build());
        List<CompletableFuture<OutboundResponse>> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(c.sendAsync(CallContext.none(), OutboundRequest.get("/x")));
        }
        while (a.requests() < 5) {
            Thread.sleep(5);
        }
        c.update(c.policy().toBuilder().targets(List.of(Target.of("127.0.0.1", b.port()))).build());
        for (CompletableFuture<OutboundResponse> f : inFlight) {
            assertThat(f.get().status()).isEqualTo(200);
            assertThat(f.get().target()).isEqualTo(a.authority());
        }
        for (int i = 0; i < 5; i++) {
            assertThat(c.send(CallContext.none(), OutboundRequest.get("/x")).target()).isEqualTo(b.authority());
        }
        assertThat(a.requests()).isEqualTo(5);
        assertThat(eventTypes()).contains(ResilienceEvents.UPDATED);

        // weights change too
        c.update(c.policy().toBuilder().targets(List.of(Target.of("127.0.0.1", a.port(), 1),
                Target.of("127.0.0.1", b.port(), 3))).build());
        a.resetState();
        b.resetState();
        for (int i = 0; i < 8; i++) {
            c.send(CallContext.none(), OutboundRequest.get("/x"));
        }
        assertThat(Map.of("a", a.requests(), "b", b.requests())).isEqualTo(Map.of("a", 2, "b", 6));
    }

    // --- leaks ---------------------------------------------------------------------------------

    @Test
    void noThreadOrConnectionLeaksAfterTenThousandFailingCalls() throws Exception {
        FlakyUpstream u = upstream("a").recording(false);
        ServiceClient c = client(policy(u).timeouts(new Timeouts(Duration.ofMillis(500), Duration.ofMillis(30),
                Duration.ofSeconds(1))).build());
        // warm up: the client's pools and the JDK client's selector exist before counting
        for (int i = 0; i < 50; i++) {
            u.enqueue(i % 2 == 0 ? status(503) : reset());
            callQuietly(c);
        }
        int threadsBefore = liveThreads();
        long socketsBefore = openSockets();
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < 10_000; i++) {
            FlakyUpstream.Behaviour b = switch (i % 4) {
                case 0 -> status(503);
                case 1 -> reset();
                case 2 -> status(500);
                default -> i % 100 == 3 ? stall() : status(502);
            };
            u.enqueue(b);
            outcomes.merge(callQuietly(c), 1, Integer::sum);
        }
        assertThat(outcomes.keySet()).contains("503", "500", "502", "CONNECTION_LOST", "TIMEOUT");
        // a few POSTs may die on a pooled connection the upstream had just closed, before reaching it
        assertThat(u.requests()).isBetween(9_900, 10_050);
        assertThat(outcomes.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(10_000);
        // The upstream holds its end of each stalled request until told; the client must have let go
        // of its end when the try timed out. Sockets are counted in this process, both ends included.
        u.releaseStalled();
        awaitAtMost(Duration.ofSeconds(10), () -> u.openConnections() <= 2 && openSockets() <= socketsBefore + 4);
        assertThat(u.openConnections()).isLessThanOrEqualTo(2);
        assertThat(openSockets()).isLessThanOrEqualTo(socketsBefore + 4);
        awaitAtMost(Duration.ofSeconds(10), () -> liveThreads() <= threadsBefore + 4);
        assertThat(liveThreads()).isLessThanOrEqualTo(threadsBefore + 4);
    }

    static String callQuietly(ServiceClient c) {
        try {
            // POST: one behaviour, one request (the JDK client repeats idempotent requests on dead pooled connections)
            return Integer.toString(c.send(CallContext.none(), OutboundRequest.postJson("/x", "{}")).status());
        } catch (UpstreamException e) {
            return e.kind().name();
        }
    }

    /** Open sockets of this process (Linux: /proc/self/fd). */
    static long openSockets() {
        java.io.File[] fds = new java.io.File("/proc/self/fd").listFiles();
        if (fds == null) {
            throw new AssertionError("/proc/self/fd is needed to count sockets (Linux)");
        }
        long n = 0;
        for (java.io.File fd : fds) {
            try {
                if (java.nio.file.Files.readSymbolicLink(fd.toPath()).toString().startsWith("socket:")) {
                    n++;
                }
            } catch (java.io.IOException | UnsupportedOperationException gone) {
                // closed meanwhile
            }
        }
        return n;
    }

    static int liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("upstream-")).collect(Collectors.toSet()).size();
    }

    static void awaitAtMost(Duration d, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until && !condition.getAsBoolean()) {
            Thread.sleep(50);
        }
    }

    @Test
    void eventsAndRequestsNameTheirUpstream() {
        FlakyUpstream u = upstream("a").respondWith(status(503));
        ServiceClient c = client(ServiceClient.builder(policy(u).circuitBreaker(CircuitBreakerSettings.builder()
                .failureThreshold(1, 1).build()).build()).ticker(ticker));
        c.send(CallContext.none(), OutboundRequest.get("/x"));
        GatewayEvent opened = events.stream().filter(e -> e.type().equals(ResilienceEvents.CIRCUIT_OPENED)).findFirst().orElseThrow();
        assertThat(opened.attributes()).containsEntry("upstream", "users").containsEntry("target", u.authority());
        assertThat(Set.copyOf(u.received().stream().map(FlakyUpstream.Received::method).toList())).containsExactly("GET");
    }
}
