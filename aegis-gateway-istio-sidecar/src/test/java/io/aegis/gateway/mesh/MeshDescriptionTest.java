package io.aegis.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The generator refuses inconsistent input with one line naming the field; the programmatic path. */
class MeshDescriptionTest {

    static final RoutePolicy READ = RoutePolicy.builder("GET", "/api/v1/orders/{id}").version("v1")
            .scopes(Requirement.allOf("orders:read")).build();
    static final RoutePolicy WRITE = RoutePolicy.builder("POST", "/api/v1/orders").version("v1")
            .scopes(Requirement.allOf("orders:write")).build();
    static final RoutePolicy READ_V2 = RoutePolicy.builder("GET", "/api/v2/orders/{id}").version("v2")
            .scopes(Requirement.allOf("orders:read")).build();

    static ServicePolicy policy(RoutePolicy... routes) {
        return ServicePolicy.builder("orders").environment("prod")
                .jwt(JwtSettings.builder(JwtKeySource.jwksUri(URI.create("https://idp.example.com/jwks"))).issuer("https://idp.example.com")
                        .audiences("orders").build())
                .routes(List.of(routes)).build();
    }

    static MeshDescription.Builder valid() {
        return MeshDescription.builder("orders").policy(policy(READ, WRITE, READ_V2)).namespace("shop")
                .versions(List.of(MeshVersion.of("v1", 90), MeshVersion.of("v2", 10)))
                .callers(List.of(MeshCaller.mesh("web", "cluster.local/ns/shop/sa/web", List.of("orders:read", "orders:write"))))
                .clock(java.time.Clock.fixed(Instant.parse("2026-11-26T00:00:00Z"), ZoneOffset.UTC));
    }

    static void refused(UnaryOperator<MeshDescription.Builder> change, String field, String... fragments) {
        assertThatThrownBy(() -> change.apply(valid()).build())
                .isInstanceOf(MeshConfigException.class)
                .satisfies(e -> {
                    assertThat(((MeshConfigException) e).field()).isEqualTo(field);
                    assertThat(e.getMessage()).doesNotContain("\n").contains(fragments);
                });
    }

    @Test
    void aConsistentDescriptionBuilds() {
        MeshDescription d = valid().build();
        assertThat(d.routes()).hasSize(3);
        assertThat(d.auth().jwksUri()).isEqualTo("https://idp.example.com/jwks");
        assertThat(d.versions()).extracting(MeshVersion::id).containsExactly("v1", "v2");
        assertThat(d.environment()).isEqualTo("prod");
    }

    @Test
    void weightsMustSumTo100() {
        refused(b -> b.versions(List.of(MeshVersion.of("v1", 95), MeshVersion.of("v2", 10))), "versions[*].weight",
                "v1=95, v2=10 sum to 105", "expected: the weights sum to 100");
    }

    @Test
    void noTrafficToAVersionAfterItsSunset() {
        MeshVersion gone = new MeshVersion("v1", null, null, 90, null, Instant.parse("2026-06-30T00:00:00Z"), "v2", null);
        refused(b -> b.versions(List.of(gone, MeshVersion.of("v2", 10))), "versions[v1].weight",
                "after its sunset 2026-06-30T00:00:00Z", "expected: 0 once a version is sunset");
        // weight 0 after the sunset is fine: newer pods answer its prefix (410 in-process)
        valid().versions(List.of(gone.withWeight(0), MeshVersion.of("v2", 100))).build();
    }

    @Test
    void aScopeARouteRequiresMustBeGrantedToACaller() {
        refused(b -> b.callers(List.of(MeshCaller.mesh("web", "cluster.local/ns/shop/sa/web", List.of("orders:read")))),
                "routes[POST /api/v1/orders].scopes", "no caller has orders:write");
    }

    @Test
    void anyOfRequirementsNeedOneGrantedScope() {
        RoutePolicy either = RoutePolicy.builder("GET", "/api/v1/reports").version("v1")
                .scopes(Requirement.anyOf("reports:read", "admin")).build();
        MeshDescription d = valid().policy(policy(either)).versions(List.of(MeshVersion.of("v1", 100)))
                .callers(List.of(MeshCaller.edge("ops", MeshCaller.EdgeCredential.JWT, List.of("admin")))).build();
        assertThat(d.routes()).hasSize(1);
    }

    @Test
    void duplicateRoutesAreRefused() {
        RoutePolicy same = RoutePolicy.builder("GET", "/api/v1/orders/{orderId}").version("v1")
                .scopes(Requirement.allOf("orders:read")).build();
        refused(b -> b.routes(List.of(READ, same)), "routes", "duplicates", "one route per method and path");
    }

    @Test
    void routesMustBelongToADeclaredVersion() {
        refused(b -> b.versions(List.of(MeshVersion.of("v1", 100))), "routes[GET /api/v2/orders/{id}].version",
                "'v2'", "declared versions [v1]");
    }

    @Test
    void aRolloutIsBetweenDeclaredVersionsTheCanaryNewer() {
        refused(b -> b.rollout(new Rollout("v1", "v3", null)), "rollout.canary", "'v3'");
        refused(b -> b.rollout(new Rollout("v2", "v1", null)), "rollout.canary", "newer version than the stable v2");
        assertThatThrownBy(() -> new Rollout("v1", "v2", List.of(5, 50, 25, 100)))
                .isInstanceOf(MeshConfigException.class).hasMessageStartingWith("rollout.stages:");
        assertThatThrownBy(() -> new Rollout("v1", "v2", List.of(5, 50)))
                .hasMessageContaining("the last stage is 100");
    }

    @Test
    void jwtRoutesNeedAJwksUriForTheMesh() {
        ServicePolicy pem = ServicePolicy.builder("orders").routes(List.of(READ))
                .jwt(JwtSettings.builder(JwtKeySource.pem(io.aegis.gateway.testing.TestKeys.rsa("k").publicPem()))
                        .issuer("https://idp").build()).build();
        refused(b -> b.policy(pem).versions(List.of(MeshVersion.of("v1", 100))), "auth.jwks-uri", "missing");
    }

    @Test
    void failoverNeedsOutlierDetection() {
        MeshTraffic t = MeshTraffic.defaults();
        MeshTraffic off = new MeshTraffic(t.timeouts(), t.retry(), t.retryLayer(),
                new MeshTraffic.CircuitBreaker(false, 5, java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(30)),
                t.bulkhead(), new MeshTraffic.OutlierDetection(false, 5, 5, java.time.Duration.ofSeconds(30), 50),
                null, t.loadBalancing(), List.of());
        refused(b -> b.traffic(off).failover(List.of(new LocalityFailover("eu-west-1", "eu-central-1"))),
                "regions.failover", "outlier detection");
    }

    @Test
    void thePolicyAndTheDescriptorMustNameTheSameService() {
        assertThatThrownBy(() -> MeshDescription.builder("billing").policy(policy(READ)))
                .isInstanceOf(MeshConfigException.class).hasMessageContaining("the policy is of 'orders'");
    }

    @Test
    void malformedPartsNameTheirField() {
        assertThatThrownBy(() -> MeshVersion.of("version1", 100)).hasMessageStartingWith("versions[version1].id:");
        assertThatThrownBy(() -> MeshVersion.of("v1", 101)).hasMessageStartingWith("versions[v1].weight: 101");
        assertThatThrownBy(() -> MeshCaller.mesh("web", "spiffe://cluster.local/ns/a/sa/b", List.of()))
                .hasMessageStartingWith("callers[web].principal:");
        assertThatThrownBy(() -> new MeshCaller("web", null, null, null)).hasMessageContaining("exactly one of principal");
        assertThatThrownBy(() -> new MeshTraffic.Timeouts(java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(9),
                java.time.Duration.ofSeconds(5))).hasMessageStartingWith("traffic.timeouts.per-try: 9s (expected: at most the total 5s)");
        assertThatThrownBy(() -> MeshTraffic.Target.parse("host-without-port")).hasMessageStartingWith("traffic.targets:");
        assertThatThrownBy(() -> MeshDescription.builder("Orders_Service")).hasMessageStartingWith("service: 'Orders_Service'");
        assertThatThrownBy(() -> valid().hosts(List.of("api.example.com/evil"))).hasMessageStartingWith("hosts:");
        assertThatThrownBy(() -> new CorsSpec(List.of("https://app.example.com/path"), false, 0)).hasMessageStartingWith("cors.origins:");
        assertThatThrownBy(() -> KubernetesSpec.defaults("registry/app:latest")).hasMessageStartingWith("kubernetes.image:");
    }

    @Test
    void withoutDeclaredVersionsTheRoutesVersionCarriesAllTraffic() {
        MeshDescription d = MeshDescription.builder("orders").policy(policy(READ, WRITE)).namespace("shop")
                .callers(List.of(MeshCaller.mesh("web", "cluster.local/ns/shop/sa/web", List.of("orders:read", "orders:write"))))
                .build();
        assertThat(d.versions()).containsExactly(MeshVersion.of("v1", 100));
        assertThatThrownBy(() -> MeshDescription.builder("orders").policy(policy(READ, READ_V2)).build())
                .hasMessageStartingWith("versions: [] (expected: the versions [v1, v2]");
    }
}
