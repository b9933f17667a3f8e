package io.aegis.gateway.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.versioning.VersioningSettings;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.time.Instant;
import java.util.List;
import org.glassfish.jersey.server.ApplicationHandler;
import org.glassfish.jersey.server.ResourceConfig;
import org.junit.jupiter.api.Test;

/** How {@code @ApiVersion} becomes routes and catalogue entries when Jersey binds the resources. */
class ApiVersionBindingTest {

    // A declares v1 (successor v2); B declares v2 but also serves a v1 route: neither can bind
    // first on its own, so the feature must learn every declaration before any route.
    @Path("/api/v1/a")
    @PublicEndpoint
    @ApiVersion(value = "v1", deprecation = "2025-01-01", successor = "v2")
    public static class A {
        @GET
        public String get() {
            return "a";
        }
    }

    @Path("/api/v2/b")
    @PublicEndpoint
    @ApiVersion(value = "v2", defaultVersion = true)
    public static class B {
        @GET
        public String get() {
            return "b";
        }

        @GET
        @Path("/legacy")
        @ApiVersion(value = "v2", fallback = true)
        public String legacy() {
            return "legacy";
        }
    }

    @Path("/api/v1/legacy")
    @PublicEndpoint
    @ApiVersion("v1")
    public static class Lookup {
        @GET
        public String get() {
            return "lookup";
        }
    }

    @Path("/api/v3/c")
    @PublicEndpoint
    @ApiVersion("v3")
    public static class Undeclared {
        @GET
        public String get() {
            return "c";
        }
    }

    @Path("/api/v1/d")
    @PublicEndpoint
    @ApiVersion(value = "v1", successor = "v3")
    public static class Contradicting {
        @GET
        public String get() {
            return "d";
        }
    }

    static AegisGateway gateway() {
        return AegisGateway.builder().policy(ServicePolicy.builder("s").build()).build();
    }

    @Test
    void declarationsJoinTheCatalogueBeforeAnyRouteBindsWhateverTheOrder() {
        for (List<Class<?>> order : List.of(List.<Class<?>>of(A.class, B.class, Lookup.class),
                List.<Class<?>>of(Lookup.class, B.class, A.class))) {
            try (AegisGateway g = gateway()) {
                new ApplicationHandler(new ResourceConfig(order.toArray(new Class<?>[0])).register(new AegisFeature(g)));
                VersioningSettings s = g.policy().versioning();
                assertThat(s.version("v1").successor()).isEqualTo("v2");
                assertThat(s.version("v1").deprecation()).isEqualTo(Instant.parse("2025-01-01T00:00:00Z"));
                assertThat(s.declaredDefault()).isEqualTo("v2");
                assertThat(g.policy().routes()).extracting(RoutePolicy::id, RoutePolicy::version).contains(
                        org.assertj.core.groups.Tuple.tuple("GET /api/v1/a", "v1"),
                        org.assertj.core.groups.Tuple.tuple("GET /api/v2/b/legacy", "v2"),
                        org.assertj.core.groups.Tuple.tuple("GET /api/v1/legacy", "v1"));
            }
        }
    }

    @Test
    void aVersionFoundNowhereFailsTheStart() {
        try (AegisGateway g = gateway()) {
            assertThatThrownBy(() -> new ApplicationHandler(new ResourceConfig(A.class, B.class, Undeclared.class)
                    .register(new AegisFeature(g))))
                    .hasStackTraceContaining("route GET /api/v3/c is in API version v3, which is not in the catalogue [v1, v2]");
        }
    }

    @Test
    void contradictingDeclarationsFailTheStartNamingTheElement() {
        assertThatThrownBy(() -> JaxRsRoutes.versions(A.class, B.class, Contradicting.class))
                .hasMessageContaining("@ApiVersion(\"v1\") on class io.aegis.gateway.jaxrs.ApiVersionBindingTest$Contradicting")
                .hasMessageContaining("API version v1 is declared twice with different successor: v2 and v3");
        assertThatThrownBy(() -> JaxRsRoutes.versions(BadDate.class))
                .hasMessageContaining("@ApiVersion(\"v1\") on class io.aegis.gateway.jaxrs.ApiVersionBindingTest$BadDate")
                .hasMessageContaining("date 'soon'");
    }

    @Path("/api/v1/x")
    @ApiVersion(value = "v1", sunset = "soon")
    public static class BadDate {
        @GET
        public String get() {
            return "x";
        }
    }

    @Test
    void methodAnnotationsReplaceTheClassOne() {
        List<RoutePolicy> routes = JaxRsRoutes.routes(Access.AUTHENTICATED, B.class);
        assertThat(routes).extracting(RoutePolicy::id, RoutePolicy::version, RoutePolicy::versionFallback).containsExactly(
                org.assertj.core.groups.Tuple.tuple("GET /api/v2/b", "v2", false),
                org.assertj.core.groups.Tuple.tuple("GET /api/v2/b/legacy", "v2", true));
        assertThat(JaxRsRoutes.versions(Lookup.class)).as("a lookup declares nothing").isEqualTo(VersioningSettings.none());
    }
}
