package io.aegis.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.resilience.BulkheadSettings;
import io.aegis.gateway.resilience.CircuitBreakerSettings;
import io.aegis.gateway.resilience.HealthCheckSettings;
import io.aegis.gateway.resilience.IdentityPropagation;
import io.aegis.gateway.resilience.LoadBalancing;
import io.aegis.gateway.resilience.OutlierDetection;
import io.aegis.gateway.resilience.RetrySettings;
import io.aegis.gateway.resilience.Target;
import io.aegis.gateway.resilience.Timeouts;
import io.aegis.gateway.resilience.UpstreamPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The configuration path and the programmatic path of upstreams, side by side. */
class UpstreamConfigTest {

    @Test
    void everyKeyMatchesItsBuilderMethod() {
        Map<String, String> m = new HashMap<>();
        String p = "aegis.upstreams.user-service.";
        m.put("aegis.service.name", "recommendation-service");
        m.put(p + "targets", "users-1:8080;3, users-2:8080 , users-dr:8080;1;1");
        m.put(p + "scheme", "https");
        m.put(p + "strategy", "priority");
        m.put(p + "identity", "credentials");
        m.put(p + "timeouts.connect", "250ms");
        m.put(p + "timeouts.per-try", "1s");
        m.put(p + "timeouts.total", "PT3S");
        m.put(p + "retry.max-attempts", "4");
        m.put(p + "retry.backoff.initial", "20ms");
        m.put(p + "retry.backoff.max", "500ms");
        m.put(p + "retry.on", "503, 504, 429");
        m.put(p + "retry.budget.ratio", "0.1");
        m.put(p + "retry.budget.min-retries-per-second", "5");
        m.put(p + "retry.budget.window", "30s");
        m.put(p + "circuit-breaker.enabled", "true");
        m.put(p + "circuit-breaker.failure-threshold", "7");
        m.put(p + "circuit-breaker.failure-window", "20");
        m.put(p + "circuit-breaker.failure-rate-threshold", "40");
        m.put(p + "circuit-breaker.failure-rate-window", "1m");
        m.put(p + "circuit-breaker.failure-rate-minimum-calls", "50");
        m.put(p + "circuit-breaker.open-duration", "10s");
        m.put(p + "circuit-breaker.half-open-calls", "5");
        m.put(p + "bulkhead.max-concurrent", "32");
        m.put(p + "bulkhead.max-queue", "8");
        m.put(p + "bulkhead.max-wait", "50ms");
        m.put(p + "health-check.path", "/health/ready");
        m.put(p + "health-check.interval", "5s");
        m.put(p + "health-check.timeout", "500ms");
        m.put(p + "health-check.healthy-threshold", "1");
        m.put(p + "health-check.unhealthy-threshold", "2");
        m.put(p + "outlier-detection.enabled", "true");
        m.put(p + "outlier-detection.consecutive-5xx", "4");
        m.put(p + "outlier-detection.consecutive-gateway-failures", "3");
        m.put(p + "outlier-detection.base-ejection-time", "15s");
        m.put(p + "outlier-detection.max-ejection-time", "2m");
        m.put(p + "outlier-detection.max-ejection-percent", "34");
        m.put("aegis.upstreams.policy-service.targets", "localhost:8081");

        ServicePolicy fromConfig = PolicyConfig.read(AegisConfig.ofMap(m));

        UpstreamPolicy users = UpstreamPolicy.builder("user-service")
                .targets(List.of(new Target("users-1", 8080, 3, 0), Target.of("users-2", 8080), new Target("users-dr", 8080, 1, 1)))
                .scheme("https").loadBalancing(LoadBalancing.PRIORITY).identity(IdentityPropagation.CREDENTIALS)
                .timeouts(new Timeouts(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(3)))
                .retry(RetrySettings.builder().maxAttempts(4).backoff(Duration.ofMillis(20), Duration.ofMillis(500))
                        .retryOn(Set.of(429, 503, 504)).budget(0.1, 5, Duration.ofSeconds(30)).build())
                .circuitBreaker(CircuitBreakerSettings.builder().failureThreshold(7, 20)
                        .failureRate(40, Duration.ofMinutes(1), 50).openDuration(Duration.ofSeconds(10)).halfOpenCalls(5).build())
                .bulkhead(new BulkheadSettings(32, 8, Duration.ofMillis(50)))
                .healthCheck(new HealthCheckSettings("/health/ready", Duration.ofSeconds(5), Duration.ofMillis(500), 1, 2))
                .outlierDetection(new OutlierDetection(true, 4, 3, Duration.ofSeconds(15), Duration.ofMinutes(2), 34))
                .build();
        UpstreamPolicy policies = UpstreamPolicy.builder("policy-service").target("localhost:8081").build();

        assertThat(fromConfig.upstreams()).containsExactly(policies, users);
        assertThat(fromConfig.upstream("user-service")).contains(users);
        assertThat(fromConfig.toBuilder().build().upstreams()).isEqualTo(fromConfig.upstreams());
    }

    @Test
    void defaultsAreTheBuilderDefaults() {
        ServicePolicy p = PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.upstreams.a.targets", "a:1")));
        assertThat(p.upstreams()).containsExactly(UpstreamPolicy.builder("a").target(Target.of("a", 1)).build());
        UpstreamPolicy u = p.upstreams().get(0);
        assertThat(u.loadBalancing()).isEqualTo(LoadBalancing.WEIGHTED_ROUND_ROBIN);
        assertThat(u.identity()).isEqualTo(IdentityPropagation.FORWARD);
        assertThat(u.healthCheck().enabled()).isFalse();
        assertThat(PolicyConfig.read(AegisConfig.ofMap(Map.of())).upstreams()).isEmpty();
    }

    @Test
    void upstreamNamesAreFoundFromEnvironmentStyleNamesAlone() {
        AegisConfig c = AegisConfig.ofMap(Map.of("AEGIS_UPSTREAMS_USER_SERVICE_TARGETS", "x:1",
                "AEGIS_UPSTREAMS_POLICY_SERVICE_TARGETS", "y:2"));
        assertThat(UpstreamConfig.names(c)).containsExactly("policy-service", "user-service");
    }

    @Test
    void invalidValuesNameTheKeyTheValueAndTheRule() {
        String p = "aegis.upstreams.u.";
        assertThatThrownBy(() -> read(p + "targets", "u:0"))
                .isInstanceOf(ConfigException.class).hasMessageContaining(p + "targets='u:0'").hasMessageContaining("port");
        assertThatThrownBy(() -> read(p + "strategy", "random"))
                .hasMessageContaining(p + "strategy='random'").hasMessageContaining("round-robin");
        assertThatThrownBy(() -> read(p + "timeouts.per-try", "1x")).hasMessageContaining(p + "timeouts.per-try='1x'");
        assertThatThrownBy(() -> read(p + "timeouts.per-try", "10s")).hasMessageContaining(p + "timeouts")
                .hasMessageContaining("at most the total");
        assertThatThrownBy(() -> read(p + "retry.budget.ratio", "2")).hasMessageContaining(p + "retry")
                .hasMessageContaining("budget.ratio");
        assertThatThrownBy(() -> read(p + "retry.on", "404")).hasMessageContaining("404");
        assertThatThrownBy(() -> read(p + "retry.on", "abc")).hasMessageContaining(p + "retry.on='abc'");
        assertThatThrownBy(() -> read(p + "bulkhead.max-concurrent", "0")).hasMessageContaining(p + "bulkhead.max-concurrent='0'");
        assertThatThrownBy(() -> read(p + "health-check.path", "health")).hasMessageContaining(p + "health-check.path='health'");
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.upstreams.u.strategy", "priority"))))
                .hasMessageContaining(p + "targets");
        assertThatThrownBy(() -> read("aegis.upstreams.Bad_Name.targets", "a:1")).isInstanceOf(ConfigException.class);
    }

    private static ServicePolicy read(String key, String value) {
        Map<String, String> m = new HashMap<>();
        m.put("aegis.upstreams.u.targets", "u:1");
        m.put(key, value);
        return PolicyConfig.read(AegisConfig.ofMap(m));
    }
}
