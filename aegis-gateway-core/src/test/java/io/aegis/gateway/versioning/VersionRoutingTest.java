package io.aegis.gateway.versioning;

import static io.aegis.gateway.versioning.VersionTestSupport.call;
import static io.aegis.gateway.versioning.VersionTestSupport.catalogue;
import static io.aegis.gateway.versioning.VersionTestSupport.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.TestClock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where each request goes: the routing table of path, header and media-type versions, defaults and fallbacks. */
class VersionRoutingTest {

    static final TestClock clock = TestClock.at("2026-03-01T00:00:00Z");
    static AegisGateway gateway;

    @BeforeAll
    static void start() {
        gateway = AegisGateway.builder().policy(service(catalogue().build()).build()).clock(clock).build();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static FakeRequest request(String path, String header, String accept) {
        FakeRequest r = FakeRequest.get(path);
        if (header != null) {
            for (String h : header.split(";")) {
                r.header("Api-Version", h);
            }
        }
        if (accept != null) {
            r.header("Accept", accept);
        }
        return r;
    }

    @ParameterizedTest(name = "[{index}] {0} Api-Version={1} Accept={2}")
    @CsvSource(value = {
        // path | Api-Version (';' = several lines) | Accept | resolved | source | dispatched path | route | fallback header
        "/api/v2/users/7 | null | null | v2 | PATH | /api/v2/users/7 | GET /api/v2/users/{id} | null",
        "/api/v1/users/7 | null | null | v1 | PATH | /api/v1/users/7 | GET /api/v1/users/{id} | null",
        "/api/v3/users/7 | null | null | v3 | PATH | /api/v3/users/7 | GET /api/v3/users/{id} | null",
        "/api/users/7 | null | null | v2 | DEFAULT | /api/v2/users/7 | GET /api/v2/users/{id} | null",
        "/api/users/7 | 1 | null | v1 | HEADER | /api/v1/users/7 | GET /api/v1/users/{id} | null",
        "/api/users/7 | V3 | null | v3 | HEADER | /api/v3/users/7 | GET /api/v3/users/{id} | null",
        "/api/users/7 | v1;1 | null | v1 | HEADER | /api/v1/users/7 | GET /api/v1/users/{id} | null",
        "/api/users/7 | null | application/vnd.aegis+json; version=1 | v1 | MEDIA_TYPE | /api/v1/users/7 | GET /api/v1/users/{id} | null",
        "/api/users/7 | null | application/json | v2 | DEFAULT | /api/v2/users/7 | GET /api/v2/users/{id} | null",
        "/api/users/7 | 3 | application/vnd.aegis+json; version=1 | v3 | HEADER | /api/v3/users/7 | GET /api/v3/users/{id} | null",
        "/api/v2/users/7 | 1 | null | v2 | PATH | /api/v2/users/7 | GET /api/v2/users/{id} | null",
        "/api/v3/users/7/orders | null | null | v3 | PATH | /api/v2/users/7/orders | GET /api/v2/users/{id}/orders | v2",
        "/api/users/7/orders | 3 | null | v3 | HEADER | /api/v2/users/7/orders | GET /api/v2/users/{id}/orders | v2",
        "/api/users/7/orders | null | null | v2 | DEFAULT | /api/v2/users/7/orders | GET /api/v2/users/{id}/orders | null",
        "/api/v1/users/7/orders | null | null | v1 | PATH | /api/v1/users/7/orders | fallback | null",
        "/api/v2/reports | null | null | v2 | PATH | /api/v2/reports | fallback | null",
        "/api/v1/reports | null | null | v1 | PATH | /api/v1/reports | GET /api/v1/reports | null",
        "/api/users/7/unknown | null | null | null | null | /api/users/7/unknown | fallback | null",
        "/api/status | 1 | null | null | null | /api/status | GET /api/status | null",
        "/health | 9 | null | null | null | /health | GET /health | null",
    }, delimiter = '|', nullValues = "null")
    void routes(String path, String header, String accept, String version, VersionSource source, String dispatched,
                String route, String fallback) {
        VersionTestSupport.Outcome o = call(gateway, request(path, header, accept));
        assertThat(o.decision().proceeds()).as("%s", o.decision()).isTrue();
        assertThat(o.exchange().dispatchPath()).isEqualTo(dispatched);
        assertThat(o.exchange().route().id()).isEqualTo(route);
        assertThat(o.header("Api-Version-Fallback")).isEqualTo(fallback);
        if (version == null) {
            assertThat(o.version()).isNull();
            assertThat(o.header("Api-Version")).isNull();
            return;
        }
        assertThat(o.version().id()).isEqualTo(version);
        assertThat(o.version().source()).isEqualTo(source);
        assertThat(o.header("Api-Version")).isEqualTo(version);
        assertThat(o.version().servedBy()).isEqualTo(fallback != null ? fallback : version);
        if (!dispatched.equals(path)) {
            assertThat(o.exchange().rewrittenRawPath()).isEqualTo(dispatched);
        } else {
            assertThat(o.exchange().rewrittenPath()).isNull();
        }
    }

    @ParameterizedTest(name = "[{index}] {0} Api-Version={1}")
    @CsvSource(value = {
        "/api/v9/users/7 | null | null | v9 | the path",
        "/api/v0/users/7 | null | null | v0 | the path",
        "/api/users/7 | banana | null | banana | the Api-Version header",
        "/api/users/7 | 99999999999 | null | 99999999999 | the Api-Version header",
        "/api/users/7 | v1.1 | null | v1.1 | the Api-Version header",
        "/api/users/7 | ２ | null | ? | the Api-Version header",
        "/api/users/7 | null | application/vnd.aegis+json; version=\"7\" | 7 | the application/vnd.aegis+json media type",
        "/api/users/7 | <script>alert(1)</script> | null | ?script?alert?1???script? | the Api-Version header",
    }, delimiter = '|', nullValues = "null")
    void unknownVersionsAre404WithTheSupportedOnes(String path, String header, String accept, String shown, String from) {
        VersionTestSupport.Outcome o = call(gateway, request(path, header, accept));
        assertThat(o.status()).isEqualTo(404);
        assertThat(o.decision().problem().type()).isEqualTo(VersionProblems.VERSION_NOT_FOUND);
        assertThat(o.decision().problem().extensions())
                .containsEntry("requested_version", shown)
                .containsEntry("supported_versions", List.of("v1", "v2", "v3"))
                .containsEntry("default_version", "v2");
        assertThat(o.decision().problem().detail()).isEqualTo("API version '" + shown + "' (from " + from
                + ") is not supported. Supported versions: v1, v2, v3.");
        assertThat(o.version()).isNull();
    }

    @Test
    void oversizedVersionsAreCutInTheProblem() {
        VersionTestSupport.Outcome o = call(gateway, request("/api/users/7", "v" + "9".repeat(10_000), null));
        assertThat(o.status()).isEqualTo(404);
        assertThat((String) o.decision().problem().extensions().get("requested_version")).hasSize(33).endsWith("…");
    }

    @Test
    void twoDifferentVersionsInTheHeaderAre400() {
        VersionTestSupport.Outcome o = call(gateway, request("/api/users/7", "v1;v2", null));
        assertThat(o.status()).isEqualTo(400);
        assertThat(o.decision().problem().detail()).isEqualTo("The Api-Version header names different versions (v1, v2); name one.");
        assertThat(call(gateway, request("/api/users/7", "1, v3", null)).status()).isEqualTo(400);
    }

    @Test
    void theOrderOfSourcesIsConfigurable() {
        try (AegisGateway headerFirst = AegisGateway.builder().clock(clock).policy(service(catalogue()
                .sources(List.of(VersionSource.HEADER, VersionSource.PATH)).build()).build()).build()) {
            VersionTestSupport.Outcome o = call(headerFirst, request("/api/v2/users/7", "1", null));
            assertThat(o.version().id()).isEqualTo("v1");
            assertThat(o.exchange().dispatchPath()).isEqualTo("/api/v1/users/7");
            assertThat(o.exchange().route().id()).isEqualTo("GET /api/v1/users/{id}");
            assertThat(o.exchange().responseHeaders().getAll("Vary")).containsExactly("Api-Version");
            // the media type is not a source here
            VersionTestSupport.Outcome m = call(headerFirst, request("/api/users/7", null, "application/vnd.aegis+json; version=1"));
            assertThat(m.version().id()).isEqualTo("v2");
        }
        try (AegisGateway pathOnly = AegisGateway.builder().clock(clock).policy(service(catalogue()
                .sources(List.of(VersionSource.PATH)).build()).build()).build()) {
            VersionTestSupport.Outcome o = call(pathOnly, request("/api/users/7", "1", null));
            assertThat(o.version().id()).isEqualTo("v2");
            assertThat(o.version().source()).isEqualTo(VersionSource.DEFAULT);
            assertThat(o.exchange().responseHeaders().getAll("Vary")).isEmpty();
        }
    }

    @Test
    void headerAndMediaTypeNamesAreConfigurable() {
        try (AegisGateway g = AegisGateway.builder().clock(clock).policy(service(catalogue().header("X-Api-Version")
                .mediaType("application/vnd.things+json").build()).build()).build()) {
            assertThat(call(g, FakeRequest.get("/api/users/7").header("X-Api-Version", "1")).version().id()).isEqualTo("v1");
            assertThat(call(g, FakeRequest.get("/api/users/7").header("Api-Version", "1")).version().id()).isEqualTo("v2");
            assertThat(call(g, FakeRequest.get("/api/users/7").header("Accept", "application/vnd.things+json;version=3"))
                    .version().id()).isEqualTo("v3");
            assertThat(call(g, FakeRequest.get("/api/users/7").header("Accept", "application/vnd.aegis+json;version=3"))
                    .version().id()).isEqualTo("v2");
            VersionTestSupport.Outcome o = call(g, FakeRequest.get("/api/users/7"));
            assertThat(o.header("X-Api-Version")).isEqualTo("v2");
            assertThat(o.exchange().responseHeaders().getAll("Vary")).containsExactly("X-Api-Version, Accept");
        }
    }

    @Test
    void theMediaTypeVersionMayComeWithTheBody() {
        VersionTestSupport.Outcome o = call(gateway, FakeRequest.of("GET", "/api/users/7")
                .header("Content-Type", "application/vnd.aegis+json; version=1"));
        assertThat(o.version().id()).isEqualTo("v1");
        assertThat(o.version().source()).isEqualTo(VersionSource.MEDIA_TYPE);
    }

    @Test
    void aPathPrefixOfRootVersionsTheFirstSegment() {
        try (AegisGateway g = AegisGateway.builder().clock(clock).policy(io.aegis.gateway.policy.ServicePolicy.builder("s")
                .route(io.aegis.gateway.policy.RoutePolicy.builder("GET", "/v1/a").publicAccess().build())
                .route(io.aegis.gateway.policy.RoutePolicy.builder("GET", "/v2/a").publicAccess().build())
                .versioning(catalogue().pathPrefix("/").build()).build()).build()) {
            assertThat(call(g, FakeRequest.get("/a")).exchange().dispatchPath()).isEqualTo("/v2/a");
            assertThat(call(g, FakeRequest.get("/a").header("Api-Version", "1")).exchange().dispatchPath()).isEqualTo("/v1/a");
            assertThat(call(g, FakeRequest.get("/v1/a")).version().status()).isEqualTo(VersionStatus.DEPRECATED);
        }
    }

    @Test
    void encodedPathsAreRewrittenInTheirOwnEncoding() {
        VersionTestSupport.Outcome o = call(gateway, request("/api/users/a%20b", "1", null));
        assertThat(o.exchange().rewrittenPath()).isEqualTo("/api/v1/users/a b");
        assertThat(o.exchange().rewrittenRawPath()).isEqualTo("/api/v1/users/a%20b");
    }
}
