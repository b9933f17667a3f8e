package io.aegis.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.audit.internal.Redactor;
import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.threat.AnomalySettings;
import io.aegis.gateway.threat.ThreatSettings;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import io.aegis.gateway.waf.WafSettings;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Audit records from real pipeline events: what is recorded, with which context, and what never is. */
class AuditLogTest {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("audit");
    final List<AuditEvent> records = new CopyOnWriteArrayList<>();
    AegisGateway gateway;

    AegisGateway gateway(AuditSettings audit) {
        ServicePolicy policy = ServicePolicy.builder("svc")
                .jwt(JwtSettings.builder(JwtKeySource.jwksJson(TestKeys.jwks(KEY))).issuer(Tokens.ISSUER)
                        .audiences(Tokens.AUDIENCE).build())
                .route(RoutePolicy.builder("GET", "/api/orders/{id}").id("get-order").scopes(Requirement.allOf("orders:read")).build())
                .threatDefense(ThreatSettings.builder().waf(WafSettings.builder().enabled(true).build())
                        .anomaly(AnomalySettings.builder().enabled(true).build()).audit(audit).build())
                .build();
        gateway = AegisGateway.builder().policy(policy).auditSink(records::add).build();
        return gateway;
    }

    @AfterEach
    void close() {
        if (gateway != null) {
            gateway.close();
        }
    }

    Decision send(FakeRequest r) {
        Pipeline p = gateway.pipeline();
        Exchange ex = new Exchange(r);
        Decision d = p.evaluate(ex);
        p.complete(ex, d.rejects() ? d.problem().status() : 200);
        return d;
    }

    @Test
    void authenticationFailuresCarryClientRouteCorrelationAndTrace() {
        gateway(AuditSettings.defaults());
        String forged = Tokens.mint(TestKeys.rsa("other")).scopes("orders:read").sign();
        Span span = Span.wrap(SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault()));
        Scope scope = span.makeCurrent();
        try {
            send(FakeRequest.get("/api/orders/7").bearer(forged).remote("203.0.113.9").header("X-Request-Id", "req-42"));
        } finally {
            scope.close();
        }
        AuditEvent e = records.stream().filter(r -> r.type().equals("auth.failure")).findFirst().orElseThrow();
        assertThat(e.client()).isEqualTo("203.0.113.9");
        assertThat(e.route()).isEqualTo("get-order");
        assertThat(e.correlationId()).isEqualTo("req-42");
        assertThat(e.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(e.details()).containsEntry("problem", "invalid-token").containsEntry("status", 401);
        assertThat(e.toJson()).doesNotContain(forged).doesNotContain(forged.substring(0, 20));

        String token = Tokens.mint(KEY).claim("sub", "alice").scopes("other:scope").sign();
        send(FakeRequest.get("/api/orders/7").bearer(token));
        AuditEvent denied = records.stream().filter(r -> r.type().equals("authz.denied")).findFirst().orElseThrow();
        assertThat(denied.principal()).isEqualTo("alice");
        assertThat(denied.correlationId()).as("generated when the client sent none").isNotBlank();
    }

    @Test
    void wafBlocksAndBansAreRecordedWithoutThePayload() {
        gateway(AuditSettings.defaults());
        for (int i = 0; i < 3; i++) {
            send(FakeRequest.get("/api/orders/7?q=%27%20or%201%3D1--&token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.abc")
                    .remote("198.51.100.3"));
        }
        AuditEvent block = records.stream().filter(r -> r.type().equals("waf.block")).findFirst().orElseThrow();
        assertThat(block.details()).containsEntry("attack", "sqli").containsEntry("location", "query:q")
                .containsKeys("rule", "incident", "value_hash");
        assertThat(block.toJson()).doesNotContain("1=1").doesNotContain("eyJ");
        AuditEvent ban = records.stream().filter(r -> r.type().equals("ban")).findFirst().orElseThrow();
        assertThat(ban.client()).isEqualTo("198.51.100.3");
        assertThat(ban.details()).containsEntry("reason", "waf").containsKey("ttl_seconds");
        assertThat(records).noneMatch(r -> r.type().equals("authz.denied") && "198.51.100.3".equals(r.client()));
    }

    @Test
    void adminChangesAreRecordedAndTheLogCanBeTurnedOff() {
        gateway(AuditSettings.defaults());
        gateway.update(gateway.policy());
        assertThat(records).anyMatch(r -> r.type().equals("admin.config_reloaded"));
        gateway.threatDefense().unban("192.0.2.1");
        assertThat(records).anyMatch(r -> r.type().equals("admin.unban") && "192.0.2.1".equals(r.client()));
        int before = records.size();
        gateway.update(gateway.policy().toBuilder().threatDefense(gateway.policy().threatDefense().toBuilder()
                .audit(new AuditSettings(false, "aegis.audit")).build()).build());
        send(FakeRequest.get("/api/orders/7"));
        assertThat(records).hasSize(before);
    }

    @Test
    void theDefaultSinkWritesOneJsonLinePerEvent() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger jul = Logger.getLogger("aegis.audit.test");
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(h);
        try {
            new LoggingAuditSink("aegis.audit.test").write(new AuditEvent("ban", java.time.Instant.parse("2026-11-26T10:00:00Z"),
                    "192.0.2.1", null, null, "c-1", null, java.util.Map.of("reason", "waf", "level", 2)));
        } finally {
            jul.removeHandler(h);
        }
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n");
        JsonNode n = new ObjectMapper().readTree(lines.get(0));
        assertThat(n.get("type").asText()).isEqualTo("ban");
        assertThat(n.get("time").asText()).isEqualTo("2026-11-26T10:00:00Z");
        assertThat(n.get("details").get("level").asInt()).isEqualTo(2);
    }

    @Test
    void redactionRemovesSecrets() {
        assertThat(Redactor.redact("Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln")).isEqualTo("Bearer ****");
        assertThat(Redactor.redact("key sk_live_4eC39HqLyjWDarjtT1zdp7dc used")).isEqualTo("key **** used");
        assertThat(Redactor.redact("password=hunter2&user=kim")).isEqualTo("password=****&user=kim");
        assertThat(Redactor.redact("Basic dXNlcjpwYXNz")).isEqualTo("Basic ****");
        assertThat(Redactor.redact("/api/v1/users/u-1001 from 203.0.113.7")).isEqualTo("/api/v1/users/u-1001 from 203.0.113.7");
        assertThat(Redactor.redact("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")).isEqualTo("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
        assertThat(Redactor.secretName("client_secret")).isTrue();
        assertThat(Redactor.secretName("value_hash")).isFalse();
    }
}
