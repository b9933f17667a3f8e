package io.aegis.gateway.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.MultipartConfigElement;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
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
 * to the servlet (raw stream, reader and form parameters), multipart form parts are inspected as
 * the container parsed them, attacks are 403 problems, oversized bodies 413.
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
        // A servlet that takes its form parts from the container (getParts()).
        ServletHolder upload = new ServletHolder(new HttpServlet() {
            @Override
            protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
                resp.setContentType("text/plain;charset=UTF-8");
                StringBuilder sb = new StringBuilder();
                for (Part p : req.getParts()) {
                    byte[] content = p.getInputStream().readAllBytes();
                    sb.append(p.getName()).append('|').append(p.getSubmittedFileName()).append('|')
                            .append(content.length).append('|').append(java.util.Arrays.hashCode(content)).append(';');
                }
                sb.append("note=").append(req.getParameter("note"));
                resp.getWriter().print(sb);
            }
        });
        upload.getRegistration().setMultipartConfig(new MultipartConfigElement(""));
        ctx.addServlet(upload, "/upload/*");
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

    static String multipart(String boundary, String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            sb.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        return sb.append("--").append(boundary).append("--\r\n").toString();
    }

    static HttpResponse<String> postBytes(String path, String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    @Test
    void multipartPartsTheContainerParsesAreInspected() throws Exception {
        byte[] file = new byte[3000];
        new java.util.Random(7).nextBytes(file);
        String head = multipart("b1", "Content-Disposition: form-data; name=\"note\"\r\n\r\n안녕하세요, O'Brien — select the best option",
                "Content-Disposition: form-data; name=\"doc\"\r\nContent-Type: application/json\r\n\r\n{\"title\":\"김민준의 이력서\"}");
        // a binary file part after the text parts
        String fileHead = "--b1\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"사진.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n";
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(head.substring(0, head.length() - "--b1--\r\n".length()).getBytes(StandardCharsets.UTF_8));
        body.writeBytes(fileHead.getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes("\r\n--b1--\r\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = postBytes("/upload/a", "multipart/form-data; boundary=b1", body.toByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("photo|사진.png|3000|" + java.util.Arrays.hashCode(file) + ";")
                .contains("doc|null|").endsWith("note=안녕하세요, O'Brien — select the best option");

        // An upload larger than the inspection limit (64 KiB here): its bytes are not inspected, so
        // they do not count; a text part that large does.
        byte[] big = new byte[200_000];
        new java.util.Random(8).nextBytes(big);
        java.io.ByteArrayOutputStream upload = new java.io.ByteArrayOutputStream();
        upload.writeBytes(fileHead.getBytes(StandardCharsets.UTF_8));
        upload.writeBytes(big);
        upload.writeBytes("\r\n--b1--\r\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> large = postBytes("/upload/a", "multipart/form-data; boundary=b1", upload.toByteArray());
        assertThat(large.statusCode()).isEqualTo(200);
        assertThat(large.body()).startsWith("photo|사진.png|200000|" + java.util.Arrays.hashCode(big) + ";");
        HttpResponse<String> longText = post("/upload/a", "multipart/form-data; boundary=b1",
                multipart("b1", "Content-Disposition: form-data; name=\"note\"\r\n\r\n" + "words ".repeat(12_000)));
        assertThat(longText.statusCode()).isEqualTo(413);

        String[] attacks = {
            "Content-Disposition: form-data; name=\"note\"\r\n\r\n1' union select password from users--",
            "Content-Disposition: form-data; name=\"doc\"\r\nContent-Type: application/json\r\n\r\n{\"a\":\"<img src=x onerror=alert(1)>\"}",
            "Content-Disposition: form-data; name=\"photo\"; filename=\"../../../../etc/passwd\"\r\nContent-Type: image/png\r\n\r\nxx",
        };
        for (String attack : attacks) {
            HttpResponse<String> blocked = post("/upload/a", "multipart/form-data; boundary=b1",
                    multipart("b1", "Content-Disposition: form-data; name=\"ok\"\r\n\r\nfine", attack));
            assertThat(blocked.statusCode()).as(attack).isEqualTo(403);
            assertThat(blocked.body()).contains("request-blocked").doesNotContain("passwd").doesNotContain("union");
        }
    }

    @Test
    void multipartBodiesTheApplicationReadsItselfAreInspectedAndReplayed() throws Exception {
        // "/raw" has no multipart configuration: the application reads the stream (as Jersey or a
        // file-upload library would), and gets every byte back after inspection.
        String body = multipart("b1", "Content-Disposition: form-data; name=\"note\"\r\n\r\nhello",
                "Content-Disposition: form-data; name=\"f\"; filename=\"a.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                        + "plain words, 김민준, O'Brien");
        HttpResponse<String> r = post("/raw", "multipart/form-data; boundary=b1", body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(body.getBytes(StandardCharsets.UTF_8).length + ":" + body.hashCode());
        HttpResponse<String> attack = post("/raw", "multipart/form-data; boundary=b1",
                multipart("b1", "Content-Disposition: form-data; name=\"cmd\"\r\n\r\n; cat /etc/passwd"));
        assertThat(attack.statusCode()).isEqualTo(403);
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
