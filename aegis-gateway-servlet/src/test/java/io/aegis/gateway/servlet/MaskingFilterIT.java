package io.aegis.gateway.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Response masking in the servlet adapter over real HTTP (embedded Jetty 12), routes and masking from configuration. */
class MaskingFilterIT {

    static final TestKeys.SigningKey KEY = TestKeys.rsa("masking-key");
    static final String USER = "{\"id\":\"u-1\",\"name\":\"김민준\",\"email\":\"minjun.kim@example.kr\",\"phone\":\"010-2345-6789\","
            + "\"bio\":\"연락 010-9876-5432\"}";
    static final ObjectMapper JSON = new ObjectMapper();
    static JwksServer jwks;
    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        jwks = new JwksServer(TestKeys.jwks(KEY));
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "people");
        cfg.put("aegis.auth.jwt.jwks-uri", jwks.uri().toString());
        cfg.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        cfg.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        cfg.put("aegis.ratelimit.enabled", "false");
        cfg.put("aegis.masking.fields", "password");
        cfg.put("aegis.routes.people.path", "/people/{rest: .*}");
        cfg.put("aegis.routes.people.masking.fields", "email,phone");
        cfg.put("aegis.routes.notes.path", "/notes");
        cfg.put("aegis.routes.notes.masking.detectors", "phone,email");
        cfg.put("aegis.routes.open.path", "/open");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();

        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addFilter(new FilterHolder(new AegisFilter(gateway)), "/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                String path = req.getRequestURI();
                byte[] user = USER.getBytes(StandardCharsets.UTF_8);
                switch (path) {
                    case "/people/writer" -> {
                        resp.setContentType("application/json;charset=UTF-8");
                        resp.setContentLength(user.length);
                        resp.getWriter().print(USER);
                    }
                    case "/people/bytes" -> {
                        resp.setContentType("application/json");
                        resp.setHeader("Content-Length", Integer.toString(user.length));
                        ServletOutputStream out = resp.getOutputStream();
                        for (byte b : user) {
                            out.write(b);
                        }
                    }
                    case "/people/many" -> {
                        resp.setContentType("application/json");
                        ServletOutputStream out = resp.getOutputStream();
                        out.write("[".getBytes(StandardCharsets.UTF_8));
                        for (int i = 0; i < 20_000; i++) {
                            out.write(((i == 0 ? "" : ",") + USER).getBytes(StandardCharsets.UTF_8));
                            if (i % 1000 == 0) {
                                out.flush();
                            }
                        }
                        out.write("]".getBytes(StandardCharsets.UTF_8));
                    }
                    case "/people/flushed" -> {
                        resp.setContentType("application/json");
                        ServletOutputStream out = resp.getOutputStream();
                        out.write(("[" + USER).getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        out.write(("," + USER + "]").getBytes(StandardCharsets.UTF_8));
                    }
                    case "/people/gzip" -> {
                        resp.setContentType("application/json");
                        resp.setHeader("Content-Encoding", "gzip");
                        resp.getOutputStream().write(gzip(user));
                    }
                    case "/people/brotli" -> {
                        resp.setContentType("application/json");
                        resp.setHeader("Content-Encoding", "br");
                        resp.getOutputStream().write(user);
                    }
                    case "/people/html" -> {
                        resp.setContentType("text/html;charset=utf-8");
                        resp.setContentLength(user.length);
                        resp.getOutputStream().write(user);
                    }
                    case "/people/broken" -> {
                        resp.setContentType("application/json");
                        resp.getWriter().print("{\"email\": minjun.kim@example.kr}");
                    }
                    case "/notes" -> {
                        resp.setContentType("text/plain;charset=utf-8");
                        resp.getWriter().print("김민준의 번호는 010-2345-6789이고 이메일은 minjun.kim@example.kr 입니다");
                    }
                    case "/open" -> {
                        resp.setContentType("application/json");
                        resp.getWriter().print("{\"email\":\"a.b@example.com\",\"password\":\"hunter2\"}");
                    }
                    default -> resp.sendError(404);
                }
            }
        }), "/*");
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

    static String token(String scopes) {
        return Tokens.mint(KEY).claim("sub", "alice").scopes(scopes).sign();
    }

    static HttpResponse<byte[]> get(String path, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void writerBodyIsMaskedAndTheLengthIsRight() throws Exception {
        HttpResponse<byte[]> r = get("/people/writer", token("users:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode u = JSON.readTree(r.body());
        assertThat(u.get("email").asText()).isEqualTo("m*****.k**@example.kr");
        assertThat(u.get("phone").asText()).isEqualTo("010-****-6789");
        assertThat(u.get("bio").asText()).isEqualTo("연락 010-9876-5432"); // not a masked field, no detectors on this route
        assertThat(u.get("name").asText()).isEqualTo("김민준");
        // A small body is masked whole, so it goes out with its new length rather than in chunks.
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
        assertThat(r.headers().firstValue("Transfer-Encoding")).isEmpty();
    }

    @Test
    void piiReadSeesClearValuesWithTheDeclaredLength() throws Exception {
        HttpResponse<byte[]> r = get("/people/writer", token("users:read pii:read"));
        assertThat(text(r)).isEqualTo(USER);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(USER.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void byteAtATimeWithADeclaredLength() throws Exception {
        HttpResponse<byte[]> r = get("/people/bytes", token("users:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(text(r)).contains("\"email\":\"m*****.k**@example.kr\"").doesNotContain("minjun.kim");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
    }

    @Test
    void largeBodiesStream() throws Exception {
        HttpResponse<byte[]> r = get("/people/many", token("users:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode all = JSON.readTree(r.body());
        assertThat(all.size()).isEqualTo(20_000);
        assertThat(text(r)).doesNotContain("minjun.kim").doesNotContain("2345");
        assertThat(r.headers().firstValue("Content-Length")).isEmpty(); // streamed as it was masked
    }

    @Test
    void aFlushStartsStreamingASmallBody() throws Exception {
        HttpResponse<byte[]> r = get("/people/flushed", token("users:read"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode all = JSON.readTree(r.body());
        assertThat(all.size()).isEqualTo(2);
        assertThat(all.get(1).get("email").asText()).isEqualTo("m*****.k**@example.kr");
        assertThat(text(r)).doesNotContain("minjun.kim");
    }

    @Test
    void gzipIsMaskedAndStaysGzip() throws Exception {
        HttpResponse<byte[]> r = get("/people/gzip", token("users:read"));
        assertThat(r.headers().firstValue("Content-Encoding")).hasValue("gzip");
        String body = new String(new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes(), StandardCharsets.UTF_8);
        assertThat(body).contains("m*****.k**@example.kr").doesNotContain("minjun.kim");
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
    }

    @Test
    void anEncodingThatCannotBeMaskedIsRefused() throws Exception {
        HttpResponse<byte[]> r = get("/people/brotli", token("users:read"));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(text(r)).contains("internal-error").contains("incident").doesNotContain("minjun");
    }

    @Test
    void htmlPassesUnchanged() throws Exception {
        HttpResponse<byte[]> r = get("/people/html", token("users:read"));
        assertThat(text(r)).isEqualTo(USER);
        assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(r.body().length);
    }

    @Test
    void invalidJsonIsNotLeaked() throws Exception {
        HttpResponse<byte[]> r = get("/people/broken", token("users:read"));
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(text(r)).doesNotContain("minjun.kim");
    }

    @Test
    void textIsScannedByTheRouteDetectors() throws Exception {
        HttpResponse<byte[]> r = get("/notes", token("users:read"));
        assertThat(text(r)).isEqualTo("김민준의 번호는 010-****-6789이고 이메일은 m*****.k**@example.kr 입니다");
    }

    @Test
    void serviceRulesApplyToEveryRoute() throws Exception {
        HttpResponse<byte[]> r = get("/open", token("users:read"));
        assertThat(text(r)).isEqualTo("{\"email\":\"a.b@example.com\",\"password\":\"h******\"}");
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }
}
