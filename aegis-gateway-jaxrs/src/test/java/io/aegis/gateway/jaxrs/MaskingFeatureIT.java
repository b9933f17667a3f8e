package io.aegis.gateway.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.masking.Detector;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.message.GZipEncoder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.filter.EncodingFilter;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code @Masked} over real HTTP: embedded Jetty 12 + Jersey 3.1 with Jackson and gzip encoding. */
class MaskingFeatureIT {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("mask-jaxrs");
    static final ObjectMapper JSON = new ObjectMapper();
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();

    static Map<String, Object> user() {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("id", "u-1003");
        u.put("name", "김민준");
        u.put("email", "minjun.kim@example.kr");
        u.put("phone", "+82 10 2345 6789");
        u.put("note", "call 010-9876-5432");
        return u;
    }

    @Path("/users")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScopes("users:read")
    @Masked({"email", "phone"})
    public static class UsersResource {
        @GET
        @Path("one")
        public Map<String, Object> one() {
            return user();
        }

        @GET
        @Path("list")
        public Map<String, Object> list() {
            return Map.of("users", List.of(user(), user()), "count", 2);
        }

        @GET
        @Path("scanned")
        @Masked(detectors = Detector.PHONE, exemptScope = "hr:read")
        public Map<String, Object> scanned() {
            return user();
        }

        @GET
        @Path("text")
        @Produces(MediaType.TEXT_PLAIN)
        @Masked(detectors = {Detector.EMAIL, Detector.PHONE})
        public String text() {
            return "김민준의 번호는 010-2345-6789이고 이메일은 minjun.kim@example.kr 입니다";
        }

        @GET
        @Path("broken")
        public String broken() {
            return "{\"email\": minjun.kim@example.kr";
        }
    }

    @Path("/clear")
    @Produces(MediaType.APPLICATION_JSON)
    @RequiresScopes("users:read")
    public static class ClearResource {
        @GET
        public Map<String, Object> get() {
            return user();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(KEY));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "users");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        cfg.put("aegis.ratelimit.enabled", "false");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();
        ResourceConfig app = new ResourceConfig(UsersResource.class, ClearResource.class)
                .register(new AegisFeature(gateway));
        EncodingFilter.enableFor(app, GZipEncoder.class);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(new ServletHolder(new ServletContainer(app)), "/*");
        server.setHandler(ctx);
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
        gateway.close();
        jwks.close();
    }

    static HttpResponse<byte[]> get(String path, String scopes, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + Tokens.mint(KEY).claim("sub", "alice").scopes(scopes).sign());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void annotatedFieldsAreMaskedForCallersWithoutPiiRead() throws Exception {
        HttpResponse<byte[]> r = get("/users/one", "users:read");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode u = JSON.readTree(r.body());
        assertThat(u.get("email").asText()).isEqualTo("m*****.k**@example.kr");
        assertThat(u.get("phone").asText()).isEqualTo("+82 ** **** 6789");
        assertThat(u.get("note").asText()).isEqualTo("call 010-9876-5432");
        assertThat(u.get("name").asText()).isEqualTo("김민준");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
    }

    @Test
    void piiReadSeesClearValues() throws Exception {
        JsonNode u = JSON.readTree(get("/users/one", "users:read pii:read").body());
        assertThat(u.get("email").asText()).isEqualTo("minjun.kim@example.kr");
        assertThat(u.get("phone").asText()).isEqualTo("+82 10 2345 6789");
    }

    @Test
    void listsAreMaskedInEveryElement() throws Exception {
        String body = text(get("/users/list", "users:read"));
        assertThat(body).doesNotContain("minjun.kim").doesNotContain("2345").contains("\"count\":2");
        assertThat(JSON.readTree(body).get("users").get(1).get("email").asText()).isEqualTo("m*****.k**@example.kr");
    }

    @Test
    void methodAnnotationReplacesTheClassOneWithItsOwnExemptScope() throws Exception {
        JsonNode u = JSON.readTree(get("/users/scanned", "users:read pii:read").body());
        assertThat(u.get("email").asText()).isEqualTo("minjun.kim@example.kr"); // not a masked field here
        assertThat(u.get("note").asText()).isEqualTo("call 010-****-5432"); // detector, pii:read does not exempt
        assertThat(u.get("phone").asText()).isEqualTo("+82 ** **** 6789");
        assertThat(JSON.readTree(get("/users/scanned", "users:read hr:read").body()).get("note").asText())
                .isEqualTo("call 010-9876-5432");
    }

    @Test
    void plainTextIsScannedByDetectors() throws Exception {
        assertThat(text(get("/users/text", "users:read")))
                .isEqualTo("김민준의 번호는 010-****-6789이고 이메일은 m*****.k**@example.kr 입니다");
    }

    @Test
    void maskingHappensBeforeCompression() throws Exception {
        HttpResponse<byte[]> r = get("/users/one", "users:read", "Accept-Encoding", "gzip");
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body).contains("m*****.k**@example.kr").doesNotContain("minjun.kim");
    }

    @Test
    void routesWithoutRulesAreUntouched() throws Exception {
        assertThat(JSON.readTree(get("/clear", "users:read").body()).get("email").asText()).isEqualTo("minjun.kim@example.kr");
    }

    @Test
    void invalidJsonIsNeverSentUnmasked() throws Exception {
        HttpResponse<byte[]> r = get("/users/broken", "users:read");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(text(r)).doesNotContain("minjun.kim");
    }

    @Test
    void theAnnotationBuildsTheRouteModel() throws Exception {
        RoutePolicy one = JaxRsRoutes.route(UsersResource.class, UsersResource.class.getMethod("one"), Access.AUTHENTICATED);
        assertThat(one.masking().fields()).containsExactly("email", "phone");
        RoutePolicy scanned = JaxRsRoutes.route(UsersResource.class, UsersResource.class.getMethod("scanned"), Access.AUTHENTICATED);
        assertThat(scanned.masking().fields()).isEmpty();
        assertThat(scanned.masking().detectors()).containsExactly(Detector.PHONE);
        assertThat(scanned.masking().exemptScope()).isEqualTo("hr:read");
        assertThat(JaxRsRoutes.route(ClearResource.class, ClearResource.class.getMethod("get"), Access.AUTHENTICATED).masking()).isNull();
        assertThatThrownBy(() -> JaxRsRoutes.route(BadPath.class, BadPath.class.getMethod("get"), Access.AUTHENTICATED))
                .hasMessageContaining("@Masked on").hasMessageContaining("starting with $");
    }

    @Path("/bad")
    public static class BadPath {
        @GET
        @Masked(paths = "users.email")
        public String get() {
            return "";
        }
    }
}
