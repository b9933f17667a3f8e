package io.aegis.gateway.mesh.extauthz.internal;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.health.HealthRegistry;
import io.aegis.gateway.health.HealthReport;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import io.aegis.gateway.pipeline.Problem;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers Envoy's ext_authz HTTP checks with the gateway's pipeline, and serves the sidecar's
 * health probes. Allow: 200 with the headers for the upstream request ({@code x-aegis-*}; those
 * not set are listed in {@code x-envoy-auth-headers-to-remove}, so a client cannot supply them)
 * and the headers for the client (rate-limit state, deprecation). Deny: the problem's status,
 * headers and {@code application/problem+json} body, which Envoy sends to the client.
 */
public final class CheckHandler extends Handler.Abstract {

    /** Upstream headers the sidecar sets on allowed requests. */
    public static final String PRINCIPAL = "x-aegis-principal";
    public static final String SCOPES = "x-aegis-scopes";
    public static final String TENANT = "x-aegis-tenant";
    public static final String TIER = "x-aegis-tier";
    public static final String VERSION = "x-aegis-version";
    /** Envoy's HTTP ext_authz response header listing request headers to drop before the upstream. */
    public static final String HEADERS_TO_REMOVE = "x-envoy-auth-headers-to-remove";

    private static final List<String> UPSTREAM = List.of(PRINCIPAL, SCOPES, TENANT, TIER, VERSION);

    private final AegisGateway gateway;
    private final String prefix;
    private final String clientAddressHeader;

    public CheckHandler(AegisGateway gateway, String pathPrefix, String clientAddressHeader) {
        this.gateway = gateway;
        this.prefix = pathPrefix;
        this.clientAddressHeader = clientAddressHeader;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String raw = request.getHttpURI().getPath();
        if (raw == null) {
            raw = "/";
        }
        if (raw.equals(prefix) || raw.startsWith(prefix + "/")) {
            check(request, response, callback, raw.length() == prefix.length() ? "/" : raw.substring(prefix.length()));
            return true;
        }
        HealthRegistry.Kind kind = switch (raw) {
            case "/health/live" -> HealthRegistry.Kind.LIVENESS;
            case "/health/ready" -> HealthRegistry.Kind.READINESS;
            case "/health/started" -> HealthRegistry.Kind.STARTUP;
            default -> null;
        };
        if (kind != null || raw.equals("/health")) {
            HealthReport report = kind == null ? gateway.health().reportAll() : gateway.health().report(kind);
            send(response, callback, report.httpStatus(), "application/json", report.toJson());
            return true;
        }
        send(response, callback, 404, "text/plain; charset=utf-8", "not an ext_authz check: expected a path under " + prefix);
        return true;
    }

    private void check(Request request, Response response, Callback callback, String rawPath) throws Exception {
        // The body (when Envoy forwards one) is read and dropped: no stage reads bodies, and the
        // connection must be left clean for the next check.
        try (InputStream in = Content.Source.asInputStream(request)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        Exchange exchange = new Exchange(new CheckRequest(request, rawPath, clientAddressHeader));
        Pipeline pipeline = gateway.pipeline();
        Decision decision = pipeline.evaluate(exchange);
        HttpFields.Mutable h = response.getHeaders();
        exchange.responseHeaders().forEach(h::add);
        if (decision.rejects()) {
            Problem p = decision.problem();
            for (Map.Entry<String, List<String>> e : p.headers().entrySet()) {
                e.getValue().forEach(v -> h.add(e.getKey(), v));
            }
            h.put("Cache-Control", "no-store");
            try {
                send(response, callback, p.status(), Problem.MEDIA_TYPE, p.toJson());
            } finally {
                pipeline.complete(exchange, p.status());
            }
            return;
        }
        List<String> unset = new ArrayList<>();
        Principal principal = exchange.principal();
        set(h, unset, PRINCIPAL, principal == null ? null : principal.subject());
        set(h, unset, SCOPES, principal == null || principal.scopes().isEmpty() ? null
                : String.join(" ", new TreeSet<>(principal.scopes())));
        set(h, unset, TENANT, principal == null ? null : principal.tenant());
        set(h, unset, TIER, principal == null ? null : principal.tier().id());
        set(h, unset, VERSION, exchange.route() == null ? null : exchange.route().version());
        if (!unset.isEmpty()) {
            h.put(HEADERS_TO_REMOVE, String.join(",", unset));
        }
        try {
            send(response, callback, 200, null, "");
        } finally {
            // The sidecar never learns the upstream's status: an allowed check completes as 200.
            pipeline.complete(exchange, 200);
        }
    }

    private static void set(HttpFields.Mutable h, List<String> unset, String name, String value) {
        if (value == null || value.isEmpty() || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            unset.add(name);
        } else {
            h.put(name, value);
        }
    }

    private static void send(Response response, Callback callback, int status, String type, String body) {
        response.setStatus(status);
        if (type != null) {
            response.getHeaders().put("Content-Type", type);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put("Content-Length", String.valueOf(bytes.length));
        response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
    }

    /** The upstream headers, for the generated mesh configuration and tests. */
    public static List<String> upstreamHeaders() {
        return UPSTREAM;
    }
}
