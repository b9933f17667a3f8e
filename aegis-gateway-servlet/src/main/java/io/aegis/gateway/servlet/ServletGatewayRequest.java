package io.aegis.gateway.servlet;

import io.aegis.gateway.pipeline.GatewayRequest;
import io.aegis.gateway.pipeline.RequestBody;
import java.io.IOException;
import java.io.InputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** A {@link GatewayRequest} over a servlet request: translation only, no decisions. */
final class ServletGatewayRequest implements GatewayRequest {

    private final HttpServletRequest request;
    private String path;
    private RequestBody body;
    private byte[] buffered;
    private int bufferedLength;

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

    /**
     * Reads up to {@code limit + 1} bytes of the body (one more than the limit tells a longer body
     * apart); {@link AegisFilter} then replays them to the application.
     */
    @Override
    public RequestBody body(int limit) {
        if (body != null) {
            return body;
        }
        String type = request.getContentType();
        if (type != null && type.regionMatches(true, 0, "multipart/", 0, 10)) {
            // The container parses parts (getParts()) from its own stream, which a replayed copy
            // cannot feed: multipart bodies are not offered for inspection in servlet applications.
            return null;
        }
        long declared = request.getContentLengthLong();
        if (declared == 0 || declared < 0 && request.getHeader("Transfer-Encoding") == null) {
            body = RequestBody.empty(type);
            return body;
        }
        byte[] buf = new byte[declared > 0 ? (int) Math.min(declared, limit) + 1 : Math.min(limit + 1, 8192)];
        int n = 0;
        try {
            InputStream in = request.getInputStream();
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
        buffered = buf;
        bufferedLength = n;
        body = RequestBody.of(type, buf, Math.min(n, limit), n > limit);
        return body;
    }

    /** The bytes taken from the body stream, to replay; {@code null} when the body was not read. */
    byte[] buffered() {
        return buffered;
    }

    int bufferedLength() {
        return bufferedLength;
    }
}
