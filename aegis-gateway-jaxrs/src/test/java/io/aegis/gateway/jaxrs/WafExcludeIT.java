package io.aegis.gateway.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.waf.AttackType;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.servlet.ServletContainer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link WafExclude} over real HTTP: the pre-matching WAF honours an exclusion declared on a
 * resource method it has not been routed to yet, and only for that field and attack type; the
 * inspected body still reaches the resource whole.
 */
class WafExcludeIT {

    @Path("/posts")
    @Produces(MediaType.TEXT_PLAIN)
    @PublicEndpoint
    public static class PostsResource {
        @POST
        @Consumes(MediaType.APPLICATION_JSON)
        @WafExclude(fields = "content", attacks = AttackType.XSS)
        public String create(String json) {
            return "stored " + json.length();
        }

        @POST
        @Path("/comments")
        @Consumes(MediaType.APPLICATION_JSON)
        public String comment(String json) {
            return "stored " + json.length();
        }
    }

    static Server server;
    static AegisGateway gateway;
    static URI base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> cfg = Map.of("aegis.service.name", "cms", "aegis.ratelimit.enabled", "false",
                "aegis.waf.enabled", "true");
        gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();
        ResourceConfig app = new ResourceConfig(PostsResource.class).register(new AegisFeature(gateway));
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
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAnnotatedFieldMayCarryHtml() throws Exception {
        String html = "{\"title\":\"Hi\",\"content\":\"<p onclick=\\\"track()\\\">Hello <script>x()</script></p>\"}";
        HttpResponse<String> r = post("/posts", html);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("stored " + html.length());
    }

    @Test
    void otherFieldsOtherAttacksAndOtherRoutesAreStillInspected() throws Exception {
        assertThat(post("/posts", "{\"title\":\"<script>alert(1)</script>\"}").statusCode()).isEqualTo(403);
        assertThat(post("/posts", "{\"content\":\"' or '1'='1\"}").statusCode()).isEqualTo(403);
        assertThat(post("/posts/comments", "{\"content\":\"<script>alert(1)</script>\"}").statusCode()).isEqualTo(403);
    }
}
