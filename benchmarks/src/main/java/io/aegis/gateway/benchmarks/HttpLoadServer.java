package io.aegis.gateway.benchmarks;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.servlet.AegisFilter;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server side of the HTTP load run ({@code benchmarks/http-load.sh}): one Jetty 12 servlet that
 * reads a JSON body and answers a 1 KB JSON document, either bare or behind {@link AegisFilter}.
 *
 * <ul>
 *   <li>{@code bare}: the servlet alone (the baseline);</li>
 *   <li>{@code policy}: client address, version resolution, cached JWT, scopes, local rate limit
 *       and response headers, without threat inspection or masking;</li>
 *   <li>{@code chain}: the inbound chain without body rewriting: client address, version
 *       resolution, threat inspection of path, query, headers and the 1 KB JSON body, cached JWT,
 *       scopes, local rate limit, response headers;</li>
 *   <li>{@code full}: {@code chain} plus masking of the 1 KB JSON response.</li>
 * </ul>
 *
 * Usage: {@code java -cp benchmarks.jar io.aegis.gateway.benchmarks.HttpLoadServer MODE PORT TOKEN_FILE};
 * it writes a valid bearer token to TOKEN_FILE and serves until killed.
 */
public final class HttpLoadServer {

    private HttpLoadServer() {
    }

    /** A 1 KB JSON response with personal data, as a user resource answers. */
    static final byte[] RESPONSE;

    static {
        StringBuilder sb = new StringBuilder("{\"users\":[");
        for (int i = 0; i < 5; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"id\":\"u-10").append(i).append("\",\"name\":\"Ada Lovelace ").append(i)
                    .append("\",\"email\":\"ada.lovelace").append(i).append("@example.com\",\"phone\":\"+44 20 7946 00")
                    .append(10 + i).append("\",\"city\":\"London\",\"note\":\"prefers e-mail, weekday mornings\"}");
        }
        sb.append("],\"count\":5}");
        RESPONSE = sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "bare";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 18080;
        Path tokenFile = Path.of(args.length > 2 ? args[2] : "target/http-load-token");

        TestKeys.SigningKey key = TestKeys.ec("load", "ES256");
        String token = Tokens.mint(key).scopes("users:read users:write").claim("tier", "enterprise")
                .claim("exp", System.currentTimeMillis() / 1000 + 86_400).sign();
        Files.writeString(tokenFile, token);

        QueuedThreadPool threads = new QueuedThreadPool(64, 8);
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(new ServletHolder(new UsersServlet()), "/*");
        AegisGateway gateway = null;
        if (!mode.equals("bare")) {
            Map<String, String> cfg = config(mode, TestKeys.jwks(key));
            gateway = AegisGateway.builder().config(() -> AegisConfig.ofMap(cfg)).build();
            ctx.addFilter(new FilterHolder(new AegisFilter(gateway)), "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        server.setHandler(ctx);
        server.start();
        System.out.println("ready " + mode + " on " + port);
        server.join();
    }

    static Map<String, String> config(String mode, String jwks) {
        Map<String, String> c = new HashMap<>();
        c.put("aegis.service.name", "load");
        c.put("aegis.auth.jwt.public-key", jwks);
        c.put("aegis.auth.jwt.issuer", Tokens.ISSUER);
        c.put("aegis.auth.jwt.audiences", Tokens.AUDIENCE);
        c.put("aegis.ratelimit.tiers.enterprise.limits", "1000000000/1s,100000000000/1h");
        c.put("aegis.versions.v1.release", "2025-01-01");
        c.put("aegis.routes.search.method", "POST");
        c.put("aegis.routes.search.path", "/api/v1/users/search");
        c.put("aegis.routes.search.version", "v1");
        c.put("aegis.routes.search.scopes", "users:read");
        c.put("aegis.waf.enabled", Boolean.toString(!mode.equals("policy")));
        c.put("aegis.waf.mode", "block");
        c.put("aegis.waf.paranoia-level", "1");
        if (mode.equals("full")) {
            c.put("aegis.routes.search.masking.fields", "email,phone");
        }
        return c;
    }

    /** Reads the request body and answers the 1 KB document. */
    static final class UsersServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            try (InputStream in = req.getInputStream()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
            resp.setContentType("application/json");
            resp.setContentLength(RESPONSE.length);
            resp.getOutputStream().write(RESPONSE);
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            doPost(req, resp);
        }
    }
}
