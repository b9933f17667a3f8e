package io.aegis.gateway.oauth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Test fixture: a real HTTP server on a loopback port answering queued responses, for failure injection. */
final class CannedServer implements AutoCloseable {

    record Canned(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Canned> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    volatile String lastBody;
    volatile String lastAuthorization;

    CannedServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            lastBody = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
            Canned c = queue.poll();
            if (c == null) {
                c = new Canned(500, "text/plain", "nothing queued");
            }
            byte[] b = c.body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", c.contentType);
            ex.sendResponseHeaders(c.status, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
    }

    CannedServer json(int status, String body) {
        queue.add(new Canned(status, "application/json", body));
        return this;
    }

    CannedServer text(int status, String body) {
        queue.add(new Canned(status, "text/html", body));
        return this;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
