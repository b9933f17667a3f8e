package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.pipeline.GatewayRequest;
import io.aegis.gateway.pipeline.RequestBody;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;

/** A {@link GatewayRequest} over a JAX-RS request: translation only. */
final class JaxRsGatewayRequest implements GatewayRequest {

    private final ContainerRequestContext ctx;
    private final String remoteAddress;
    private final boolean secure;
    private String path;
    private RequestBody body;

    JaxRsGatewayRequest(ContainerRequestContext ctx, String remoteAddress, boolean secure) {
        this.ctx = ctx;
        this.remoteAddress = remoteAddress;
        this.secure = secure;
    }

    @Override
    public String method() {
        return ctx.getMethod();
    }

    /** The decoded path relative to the application's base URI, as JAX-RS matches it. */
    @Override
    public String path() {
        String p = path;
        if (p == null) {
            String rel = ctx.getUriInfo().getPath(true);
            p = rel.startsWith("/") ? rel : "/" + rel;
            path = p;
        }
        return p;
    }

    /** The encoded path relative to the base URI, as sent. */
    @Override
    public String rawPath() {
        String rel = ctx.getUriInfo().getPath(false);
        return rel.startsWith("/") ? rel : "/" + rel;
    }

    @Override
    public String rawQuery() {
        return ctx.getUriInfo().getRequestUri().getRawQuery();
    }

    @Override
    public String header(String name) {
        return ctx.getHeaderString(name) == null ? null : first(name);
    }

    private String first(String name) {
        List<String> v = ctx.getHeaders().get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public List<String> headers(String name) {
        List<String> v = ctx.getHeaders().get(name);
        return v == null ? List.of() : v;
    }

    @Override
    public Iterable<String> headerNames() {
        return ctx.getHeaders().keySet();
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public boolean secure() {
        return secure;
    }

    /**
     * Reads up to {@code limit + 1} bytes of the entity stream and puts back a stream that replays
     * them followed by the rest, so the resource method reads the whole body.
     */
    @Override
    public RequestBody body(int limit) {
        if (body != null) {
            return body;
        }
        String type = ctx.getHeaderString("Content-Type");
        if (!ctx.hasEntity()) {
            body = RequestBody.empty(type);
            return body;
        }
        InputStream in = ctx.getEntityStream();
        byte[] buf = new byte[Math.min(limit + 1, 8192)];
        int n = 0;
        try {
            while (n < limit + 1) {
                if (n == buf.length) {
                    buf = java.util.Arrays.copyOf(buf, Math.min(limit + 1, buf.length * 2));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        } catch (IOException e) {
            // a broken body: inspect what arrived; the application will see the same failure
        }
        ctx.setEntityStream(new SequenceInputStream(new ByteArrayInputStream(buf, 0, n), in));
        body = RequestBody.of(type, buf, Math.min(n, limit), n > limit);
        return body;
    }
}
