package io.aegis.gateway.mesh.extauthz.internal;

import io.aegis.gateway.network.IpAddress;
import io.aegis.gateway.pipeline.GatewayRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;

/**
 * The original request of an Envoy ext_authz check, as the pipeline sees it. Envoy sends the
 * original method and headers, the original path (with its query) after {@code path_prefix}, and,
 * only when body forwarding is on, the (possibly partial) body with
 * {@code x-envoy-auth-partial-body}. Translation rules:
 * <ul>
 *   <li>the path is what follows the prefix, the query as sent;</li>
 *   <li>{@code Content-Length} of a check request describes the forwarded body, not the original
 *       request: it is shown only when the whole body was forwarded
 *       ({@code x-envoy-auth-partial-body: false}), otherwise the original length is unknown;</li>
 *   <li>Envoy's protocol header {@code x-envoy-auth-partial-body} is not part of the original request;</li>
 *   <li>the client is the socket peer (Envoy: the library's trusted-proxy rules then apply), or the
 *       address in {@code x-envoy-external-address} when so configured and it is an IP literal.</li>
 * </ul>
 * Not thread-safe; one per check.
 */
public final class CheckRequest implements GatewayRequest {

    static final String PARTIAL_BODY = "x-envoy-auth-partial-body";

    private final String method;
    private final String rawPath;
    private final String path;
    private final String rawQuery;
    private final HttpFields headers;
    private final boolean showContentLength;
    private final String remote;
    private final boolean secure;

    /**
     * @param request the check request
     * @param rawPath the original path, still encoded (after the prefix)
     * @param clientAddressHeader the header naming the client, or {@code null} for the socket peer
     */
    public CheckRequest(Request request, String rawPath, String clientAddressHeader) {
        this.method = request.getMethod().toUpperCase(Locale.ROOT);
        this.rawPath = rawPath;
        this.path = decode(rawPath);
        this.rawQuery = request.getHttpURI().getQuery();
        this.headers = request.getHeaders();
        this.showContentLength = "false".equalsIgnoreCase(headers.get(PARTIAL_BODY));
        String peer = Request.getRemoteAddr(request);
        String claimed = clientAddressHeader == null ? null : headers.get(clientAddressHeader);
        this.remote = claimed != null && IpAddress.parse(claimed.trim()) != null ? claimed.trim() : peer;
        this.secure = "https".equalsIgnoreCase(headers.get("x-forwarded-proto"));
    }

    /** Decodes like a container (UTF-8, '+' kept); a malformed escape leaves the path as sent. */
    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    private boolean hidden(String name) {
        return name.equalsIgnoreCase(PARTIAL_BODY) || !showContentLength && name.equalsIgnoreCase("content-length");
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String rawPath() {
        return rawPath;
    }

    @Override
    public String rawQuery() {
        return rawQuery;
    }

    @Override
    public String header(String name) {
        return hidden(name) ? null : headers.get(name);
    }

    @Override
    public List<String> headers(String name) {
        return hidden(name) ? List.of() : headers.getValuesList(name);
    }

    @Override
    public Iterable<String> headerNames() {
        Set<String> names = new LinkedHashSet<>();
        for (HttpField f : headers) {
            if (!hidden(f.getName())) {
                names.add(f.getName());
            }
        }
        return new ArrayList<>(names);
    }

    @Override
    public String remoteAddress() {
        return remote;
    }

    @Override
    public boolean secure() {
        return secure;
    }
}
