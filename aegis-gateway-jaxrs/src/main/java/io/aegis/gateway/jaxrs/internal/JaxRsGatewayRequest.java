package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.pipeline.GatewayRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.List;

/** A {@link GatewayRequest} over a JAX-RS request: translation only. */
final class JaxRsGatewayRequest implements GatewayRequest {

    private final ContainerRequestContext ctx;
    private final String remoteAddress;
    private final boolean secure;
    private String path;

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
}
