package io.aegis.gateway.testing;

import io.aegis.gateway.pipeline.GatewayRequest;
import io.aegis.gateway.pipeline.RequestBody;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Test fixture: a {@link GatewayRequest} built by hand (a fake, not a mock). */
public final class FakeRequest implements GatewayRequest {

    private final String method;
    private final String path;
    private final String rawPath;
    private String query;
    private String remote = "192.0.2.10";
    private boolean secure;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] body;
    /** How often {@link #body(int)} was asked for (adapters buffer only when asked). */
    public int bodyReads;

    private FakeRequest(String method, String path) {
        this.method = method;
        int q = path.indexOf('?');
        this.rawPath = q < 0 ? path : path.substring(0, q);
        this.path = decode(rawPath);
        this.query = q < 0 ? null : path.substring(q + 1);
    }

    public static FakeRequest get(String path) {
        return new FakeRequest("GET", path);
    }

    public static FakeRequest of(String method, String path) {
        return new FakeRequest(method, path);
    }

    public FakeRequest header(String name, String value) {
        headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(value);
        return this;
    }

    /** A body with its content type (sets {@code Content-Type} and {@code Content-Length}). */
    public FakeRequest body(String contentType, String text) {
        this.body = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        header("Content-Type", contentType);
        return header("Content-Length", Integer.toString(body.length));
    }

    /** Buffers like an adapter: up to {@code limit} bytes, truncated beyond. */
    @Override
    public RequestBody body(int limit) {
        bodyReads++;
        String type = header("Content-Type");
        if (body == null) {
            return RequestBody.empty(type);
        }
        int n = Math.min(body.length, limit);
        return RequestBody.of(type, java.util.Arrays.copyOf(body, n), n, body.length > limit);
    }

    public FakeRequest bearer(String token) {
        return header("Authorization", "Bearer " + token);
    }

    public FakeRequest remote(String address) {
        this.remote = address;
        return this;
    }

    public FakeRequest secure(boolean secure) {
        this.secure = secure;
        return this;
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

    /** Decodes like a container does (UTF-8, '+' kept); malformed escapes stay as they are. */
    private static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        try {
            return java.net.URLDecoder.decode(raw.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    @Override
    public String rawQuery() {
        return query;
    }

    @Override
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    @Override
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
    }

    @Override
    public Iterable<String> headerNames() {
        return headers.keySet();
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
