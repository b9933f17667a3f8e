package io.aegis.gateway.servlet;

import io.aegis.gateway.pipeline.GatewayRequest;
import io.aegis.gateway.pipeline.RequestBody;
import io.aegis.gateway.waf.WafPolicy;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/** A {@link GatewayRequest} over a servlet request: translation only, no decisions. */
final class ServletGatewayRequest implements GatewayRequest {

    /** Boundaries of the multipart bodies written back for inspection: unguessable, so no part can fake one. */
    private static final SecureRandom BOUNDARIES = new SecureRandom();

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
        if (type != null && type.regionMatches(true, 0, "multipart/form-data", 0, 19)) {
            // The container parses form parts (getParts()) from its own stream, which a replayed
            // copy cannot feed: when the target servlet takes parts, the parts the container
            // parsed are inspected. Otherwise the application reads the stream itself (Jersey,
            // a file-upload library), and the replay below feeds it.
            RequestBody parts = parts(limit);
            if (parts != null) {
                body = parts;
                return body;
            }
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
        } catch (IOException | IllegalStateException e) {
            // a broken body, or one the container already consumed: inspect what arrived; the
            // application will see the same failure
        }
        buffered = buf;
        bufferedLength = n;
        body = RequestBody.of(type, buf, Math.min(n, limit), n > limit);
        return body;
    }

    /**
     * The form parts the container parsed, written back as one {@code multipart/form-data} body
     * (each part's headers as received, then its content when the WAF reads it, so that an upload's
     * bytes do not count against the limit) for the WAF to read like any other; bounded like a
     * buffered body. {@code null} when the container parses no parts for this
     * request: the target servlet has no multipart configuration, or the body could not be parsed
     * (then whatever is left of the stream is read as it is).
     */
    private RequestBody parts(int limit) {
        Collection<Part> parts;
        try {
            parts = request.getParts();
        } catch (ServletException | IOException | RuntimeException e) {
            return null; // IllegalStateException: no multipart configuration
        }
        String boundary = "aegis-" + Long.toHexString(BOUNDARIES.nextLong() | Long.MIN_VALUE)
                + Long.toHexString(BOUNDARIES.nextLong() | Long.MIN_VALUE);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit + 1, 8192));
        boolean truncated = false;
        try {
            for (Part part : parts) {
                if (out.size() > limit) {
                    truncated = true;
                    break;
                }
                text(out, "--" + boundary + "\r\n");
                for (String name : part.getHeaderNames()) {
                    for (String value : part.getHeaders(name)) {
                        text(out, name + ": " + value + "\r\n");
                    }
                }
                text(out, "\r\n");
                if (!WafPolicy.inspectsPartContent(part.getContentType(), part.getSubmittedFileName() != null)) {
                    text(out, "\r\n"); // a file the WAF knows by its name only: its bytes need not count
                    continue;
                }
                try (InputStream in = part.getInputStream()) {
                    int room = limit + 1 - out.size();
                    if (room > 0) {
                        out.write(in.readNBytes(room));
                    }
                    truncated |= in.read() >= 0;
                }
                text(out, "\r\n");
            }
        } catch (IOException e) {
            truncated = true; // a part that cannot be read back: inspect what was read
        }
        text(out, "--" + boundary + "--\r\n");
        byte[] bytes = out.toByteArray();
        return RequestBody.of("multipart/form-data; boundary=" + boundary, bytes, Math.min(bytes.length, limit),
                truncated || bytes.length > limit);
    }

    private static void text(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The bytes taken from the body stream, to replay; {@code null} when the body was not read. */
    byte[] buffered() {
        return buffered;
    }

    int bufferedLength() {
        return bufferedLength;
    }
}
