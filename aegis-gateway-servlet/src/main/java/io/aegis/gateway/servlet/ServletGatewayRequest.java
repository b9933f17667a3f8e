package io.aegis.gateway.servlet;

import io.aegis.gateway.pipeline.GatewayRequest;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** A {@link GatewayRequest} over a servlet request: translation only, no decisions. */
final class ServletGatewayRequest implements GatewayRequest {

    private final HttpServletRequest request;
    private String path;

    ServletGatewayRequest(HttpServletRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    /** The decoded, normalized path the container dispatches on: servlet path plus path info. */
    @Override
    public String path() {
        String p = path;
        if (p == null) {
            String servletPath = request.getServletPath();
            String info = request.getPathInfo();
            p = (servletPath == null ? "" : servletPath) + (info == null ? "" : info);
            if (p.isEmpty()) {
                p = "/";
            }
            path = p;
        }
        return p;
    }

    /** The request URI as sent, without the context path. */
    @Override
    public String rawPath() {
        String uri = request.getRequestURI();
        String ctx = request.getContextPath();
        if (ctx != null && !ctx.isEmpty() && uri.startsWith(ctx)) {
            uri = uri.substring(ctx.length());
        }
        return uri.isEmpty() ? "/" : uri;
    }

    @Override
    public String rawQuery() {
        return request.getQueryString();
    }

    @Override
    public String header(String name) {
        return request.getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
        Enumeration<String> e = request.getHeaders(name);
        if (e == null || !e.hasMoreElements()) {
            return List.of();
        }
        String first = e.nextElement();
        if (!e.hasMoreElements()) {
            return List.of(first);
        }
        List<String> all = new java.util.ArrayList<>(2);
        all.add(first);
        while (e.hasMoreElements()) {
            all.add(e.nextElement());
        }
        return all;
    }

    @Override
    public Iterable<String> headerNames() {
        Enumeration<String> e = request.getHeaderNames();
        return e == null ? List.of() : Collections.list(e);
    }

    @Override
    public String remoteAddress() {
        return request.getRemoteAddr();
    }

    @Override
    public boolean secure() {
        return request.isSecure();
    }
}
