package io.aegis.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.testing.FlakyUpstream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Upstreams follow configuration reloads of the gateway: targets change without restarting. */
class UpstreamsIT {

    @Test
    void aReloadMovesCallsToTheNewTargets() {
        try (FlakyUpstream a = new FlakyUpstream("a"); FlakyUpstream b = new FlakyUpstream("b")) {
            Map<String, String> cfg = new ConcurrentHashMap<>();
            cfg.put("aegis.service.name", "recommendation-service");
            cfg.put("aegis.upstreams.user-service.targets", a.authority());
            try (AegisGateway gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();
                 Upstreams upstreams = Upstreams.builder(() -> gateway.policy().upstreams())
                         .events(gateway.events()).build()) {
                ServiceClient users = upstreams.client("user-service");
                users.send(CallContext.none(), OutboundRequest.get("/x"));
                assertThat(a.requests()).isEqualTo(1);

                cfg.put("aegis.upstreams.user-service.targets", b.authority() + ";1");
                cfg.put("aegis.upstreams.policy-service.targets", a.authority());
                assertThat(gateway.reload().applied()).isTrue();
                assertThat(upstreams.client("user-service")).isSameAs(users);
                users.send(CallContext.none(), OutboundRequest.get("/x"));
                assertThat(b.requests()).isEqualTo(1);
                assertThat(upstreams.names()).containsExactly("policy-service", "user-service");

                // an invalid reload keeps the last good targets
                cfg.put("aegis.upstreams.user-service.targets", "nowhere:0");
                assertThat(gateway.reload().applied()).isFalse();
                users.send(CallContext.none(), OutboundRequest.get("/x"));
                assertThat(b.requests()).isEqualTo(2);

                // removing an upstream closes its client
                cfg.put("aegis.upstreams.user-service.targets", b.authority());
                cfg.remove("aegis.upstreams.policy-service.targets");
                ServiceClient policies = upstreams.client("policy-service");
                assertThat(gateway.reload().applied()).isTrue();
                assertThatThrownBy(() -> upstreams.client("policy-service")).hasMessageContaining("policy-service");
                assertThatThrownBy(() -> policies.send(CallContext.none(), OutboundRequest.get("/x")))
                        .isInstanceOfSatisfying(UpstreamException.class, e -> assertThat(e.kind()).isEqualTo(UpstreamException.Kind.CLOSED));
            }
        }
    }
}
