package io.aegis.gateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.testing.Await;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** MicroProfile Health JSON and the registry's handling of failing checks. */
class HealthTest {

    @Test
    void theReportIsInTheMicroProfileHealthFormat() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("keys", 3);
        data.put("stale", false);
        data.put("uri", "https://idp.test/jwks");
        HealthReport report = new HealthReport(List.of(
                HealthCheckResult.up("gateway"),
                new HealthCheckResult("jwt-keys", true, data),
                HealthCheckResult.down("redis", "connection \"refused\"")));
        assertThat(report.toJson()).isEqualTo("{\"status\":\"DOWN\",\"checks\":["
                + "{\"name\":\"gateway\",\"status\":\"UP\"},"
                + "{\"name\":\"jwt-keys\",\"status\":\"UP\",\"data\":{\"keys\":3,\"stale\":false,\"uri\":\"https://idp.test/jwks\"}},"
                + "{\"name\":\"redis\",\"status\":\"DOWN\",\"data\":{\"reason\":\"connection \\\"refused\\\"\"}}]}");
        assertThat(report.up()).isFalse();
        assertThat(report.httpStatus()).isEqualTo(503);
    }

    @Test
    void allUpIsUpAndNoChecksIsUp() {
        HealthReport up = new HealthReport(List.of(HealthCheckResult.up("a"), HealthCheckResult.up("b")));
        assertThat(up.toJson()).isEqualTo("{\"status\":\"UP\",\"checks\":[{\"name\":\"a\",\"status\":\"UP\"},"
                + "{\"name\":\"b\",\"status\":\"UP\"}]}");
        assertThat(up.httpStatus()).isEqualTo(200);
        assertThat(new HealthReport(List.of()).toJson()).isEqualTo("{\"status\":\"UP\",\"checks\":[]}");
    }

    @Test
    void aThrowingCheckIsDownAndTheOthersStillRun() {
        HealthRegistry registry = new HealthRegistry()
                .register(HealthRegistry.Kind.READINESS, "db", () -> {
                    throw new IllegalStateException("password=hunter2");
                })
                .register(HealthRegistry.Kind.READINESS, "linkage", () -> {
                    throw new NoClassDefFoundError("io/lettuce/core/RedisClient");
                })
                .register(HealthRegistry.Kind.READINESS, "nothing", () -> null)
                .register(HealthRegistry.Kind.READINESS, "ok", () -> HealthCheckResult.up("ok"));
        HealthReport r = registry.report(HealthRegistry.Kind.READINESS);
        assertThat(r.checks()).containsExactly(
                HealthCheckResult.down("db", "the check failed: IllegalStateException"),
                HealthCheckResult.down("linkage", "the check failed: NoClassDefFoundError"),
                HealthCheckResult.down("nothing", "the check returned nothing"),
                HealthCheckResult.up("ok"));
        assertThat(r.toJson()).doesNotContain("hunter2");
        assertThat(r.httpStatus()).isEqualTo(503);
    }

    @Test
    void checksAreReportedByKindAndReplacedByName() {
        HealthRegistry registry = new HealthRegistry()
                .register(HealthRegistry.Kind.READINESS, "r", () -> HealthCheckResult.down("r", "old"))
                .register(HealthRegistry.Kind.LIVENESS, "l", () -> HealthCheckResult.up("l"))
                .register(HealthRegistry.Kind.STARTUP, "s", () -> HealthCheckResult.up("s"))
                .register(HealthRegistry.Kind.READINESS, "r", () -> HealthCheckResult.up("r"));
        assertThat(registry.report(HealthRegistry.Kind.READINESS).checks()).containsExactly(HealthCheckResult.up("r"));
        assertThat(registry.reportAll().checks()).extracting(HealthCheckResult::name).containsExactly("l", "r", "s");
        assertThat(new HealthRegistry().report(HealthRegistry.Kind.LIVENESS).up()).isTrue();
    }

    @Test
    void theGatewayIsReadyOnceSigningKeysAreFetched() {
        try (JwksServer server = new JwksServer(TestKeys.jwks(TestKeys.rsa("k1")))) {
            server.failWith(503);
            ServicePolicy policy = ServicePolicy.builder("svc")
                    // a failed fetch is retried after a tenth of the refresh interval
                    .jwt(JwtSettings.builder(JwtKeySource.jwksUri(server.uri()))
                            .jwksRefreshInterval(Duration.ofSeconds(1))
                            .jwksMinRefetchInterval(Duration.ZERO)
                            .build())
                    .build();
            try (AegisGateway gateway = AegisGateway.builder().policy(policy).build()) {
                Await.until("a failed JWKS fetch", () -> server.requests() > 0);
                assertThat(gateway.health().report(HealthRegistry.Kind.READINESS).checks())
                        .containsExactly(HealthCheckResult.down("jwt-keys", "token signing keys not yet fetched"));
                assertThat(gateway.health().report(HealthRegistry.Kind.LIVENESS).up()).isTrue();

                server.serve(TestKeys.jwks(TestKeys.rsa("k1")));
                Await.until("the JWKS to be fetched", () -> gateway.jwtAuthenticator().ready());
                assertThat(gateway.health().report(HealthRegistry.Kind.READINESS).toJson())
                        .isEqualTo("{\"status\":\"UP\",\"checks\":[{\"name\":\"jwt-keys\",\"status\":\"UP\"}]}");
            }
        }
    }
}
