package io.aegis.gateway.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WAF through the servlet filter over real HTTP: bodies are inspected and then replayed whole
 * to the servlet (raw stream, reader and form parameters), attacks are 403 problems, oversized
 * bodies 413.
 */
class AegisFilterWafIT {

    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("aegis.service.name", "forms");
        cfg.put("aegis.auth.default-access", "public");
        cfg.put("aegis.ratelimit.enabled", "false");
        cfg.put("aegis.waf.enabled", "true");
        cfg.put("aegis.waf.body.max-bytes", "65536");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addFilter(new FilterHolder(new AegisFilter(gateway)), "/*", EnumSet.of(DispatcherType.REQUEST));
        ctx.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                resp.setContentType("text/plain;charset=UTF-8");
                if (req.getRequestURI().startsWith("/form")) {
                    resp.getWriter().print("name=" + req.getParameter("name") + " city=" + req.getParameter("city")
                            + " q=" + req.getParameter("q"));
                } else if (req.getRequestURI().startsWith("/reader")) {
                    StringBuilder sb = new StringBuilder();
                    req.getReader().lines().forEach(sb::append);
                    resp.getWriter().print(sb.length() + ":" + sb);
                } else {
                    byte[] all = req.getInputStream().readAllBytes();
                    resp.getWriter().print(all.length + ":" + new String(all, StandardCharsets.UTF_8).hashCode());
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
    }

    static HttpResponse<String> post(String path, String type, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void formParametersStillReachTheServletAfterInspection() throws Exception {
        HttpResponse<String> r = post("/form?q=hello", "application/x-www-form-urlencoded",
                "name=%EA%B9%80%EB%AF%BC%EC%A4%80&city=Seoul");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("name=김민준 city=Seoul q=hello");
        HttpResponse<String> attack = post("/form", "application/x-www-form-urlencoded", "name=x&city=%27%20or%20%271%27%3D%271");
        assertThat(attack.statusCode()).isEqualTo(403);
        assertThat(attack.body()).contains("request-blocked").contains("incident").doesNotContain("or");
    }

    @Test
    void jsonBodiesAreReplayedWhole() throws Exception {
        String doc = "{\"text\":\"" + "안녕하세요 O'Brien, select the best option. ".repeat(200) + "\"}";
        HttpResponse<String> r = post("/raw", "application/json", doc);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(doc.getBytes(StandardCharsets.UTF_8).length + ":" + doc.hashCode());
        HttpResponse<String> reader = post("/reader", "application/json", "{\"a\":\"b\"}");
        assertThat(reader.body()).isEqualTo("9:{\"a\":\"b\"}");
        assertThat(post("/raw", "application/json", "{\"a\":\"<script>alert(1)</script>\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void multipartBodiesStayWithTheContainer() throws Exception {
        String body = "--b1\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--b1--\r\n";
        HttpResponse<String> r = post("/raw", "multipart/form-data; boundary=b1", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body.length() + ":" + body.hashCode());
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        HttpResponse<String> r = post("/raw", "application/json", "{\"a\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("payload-too-large");
        // a body type that is not inspected is not buffered and passes whole
        HttpResponse<String> bin = post("/raw", "application/octet-stream", "y".repeat(70_000));
        assertThat(bin.statusCode()).isEqualTo(200);
        assertThat(bin.body()).startsWith("70000:");
    }
}
