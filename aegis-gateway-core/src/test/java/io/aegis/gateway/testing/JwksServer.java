package io.aegis.gateway.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test fixture: a real HTTP JWKS endpoint on a free local port, whose key set can be replaced
 * (key rotation) or made to fail (identity provider outage) while a test runs.
 */
public final class JwksServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<String> body = new AtomicReference<>("{\"keys\":[]}");
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger requests = new AtomicInteger();
    private volatile String cacheControl;

    public JwksServer(String jwks) {
        body.set(jwks);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/jwks", exchange -> {
            requests.incrementAndGet();
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/jwk-set+json");
            if (cacheControl != null) {
                exchange.getResponseHeaders().add("Cache-Control", cacheControl);
            }
            exchange.sendResponseHeaders(status.get(), b.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    /** The JWKS URI. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks");
    }

    /** Serves a new key set (rotation). */
    public void serve(String jwks) {
        body.set(jwks);
        status.set(200);
    }

    /** Makes the endpoint answer with this status (e.g. 503 for an outage). */
    public void failWith(int httpStatus) {
        status.set(httpStatus);
    }

    public void cacheControl(String value) {
        this.cacheControl = value;
    }

    /** How many times the key set was fetched. */
    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
