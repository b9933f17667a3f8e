package io.aegis.gateway.versioning;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.testing.FakeRequest;
import java.time.Instant;

/** A versioned service for the policy tests: v1 (deprecated in 2025, sunset 2027), v2 (default), v3. */
final class VersionTestSupport {

    static final Instant V1_DEPRECATION = Instant.parse("2025-06-01T00:00:00Z");
    static final Instant V1_SUNSET = Instant.parse("2027-01-01T00:00:00Z");
    static final String GUIDE = "https://docs.example.com/migrations/v1-to-v2";

    private VersionTestSupport() {
    }

    static ApiVersion v1() {
        return ApiVersion.builder("v1").release(Instant.parse("2024-01-15T00:00:00Z")).deprecation(V1_DEPRECATION)
                .sunset(V1_SUNSET).successor("v2").migrationGuide(GUIDE).build();
    }

    static VersioningSettings.Builder catalogue() {
        return VersioningSettings.builder()
                .version(v1())
                .version(ApiVersion.builder("v2").release(V1_DEPRECATION).build())
                .version(ApiVersion.builder("v3").release(Instant.parse("2026-02-01T00:00:00Z")).build())
                .defaultVersion("v2");
    }

    static ServicePolicy.Builder service(VersioningSettings versioning) {
        return ServicePolicy.builder("things")
                .route(RoutePolicy.builder("GET", "/api/v1/users/{id}").publicAccess().version("v1").build())
                .route(RoutePolicy.builder("GET", "/api/v2/users/{id}").publicAccess().version("v2").build())
                .route(RoutePolicy.builder("GET", "/api/v3/users/{id}").publicAccess().build())
                .route(RoutePolicy.builder("GET", "/api/v2/users/{id}/orders").publicAccess().versionFallback(true).build())
                .route(RoutePolicy.builder("GET", "/api/v1/reports").publicAccess().build())
                .route(RoutePolicy.builder("GET", "/api/status").publicAccess().build())
                .route(RoutePolicy.builder("GET", "/health").publicAccess().build())
                .fallbackRoute(RoutePolicy.fallback().toBuilder().publicAccess().build())
                .versioning(versioning);
    }

    /** Authenticates {@code X-Test-User: <subject>} (a fake for the client key). */
    static final class HeaderAuthenticator implements Authenticator {
        @Override
        public AuthScheme scheme() {
            return AuthScheme.JWT;
        }

        @Override
        public AuthenticationResult authenticate(Exchange exchange) {
            String user = exchange.request().header("X-Test-User");
            return user == null ? AuthenticationResult.abstain()
                    : AuthenticationResult.success(Principal.builder(user, AuthScheme.JWT).build());
        }
    }

    /** One request through the whole pipeline, completed with the status it would get (200 when admitted). */
    record Outcome(Exchange exchange, Decision decision) {
        int status() {
            return decision.rejects() ? decision.problem().status() : 200;
        }

        String header(String name) {
            String v = exchange.responseHeaders().get(name);
            if (v == null && decision.rejects()) {
                java.util.List<String> p = decision.problem().headers().get(name);
                v = p == null || p.isEmpty() ? null : p.get(0);
            }
            return v;
        }

        java.util.List<String> headers(String name) {
            java.util.List<String> all = new java.util.ArrayList<>(exchange.responseHeaders().getAll(name));
            if (decision.rejects()) {
                all.addAll(decision.problem().headers().getOrDefault(name, java.util.List.of()));
            }
            return all;
        }

        ResolvedVersion version() {
            return exchange.attribute(ResolvedVersion.ATTRIBUTE);
        }
    }

    static Outcome call(AegisGateway gateway, FakeRequest request) {
        Exchange ex = new Exchange(request);
        Decision d = gateway.pipeline().evaluate(ex);
        gateway.pipeline().complete(ex, d.rejects() ? d.problem().status() : 200);
        return new Outcome(ex, d);
    }
}
