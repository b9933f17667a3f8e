package io.aegis.gateway.llm.testing;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A mock LLM provider on embedded Jetty 12: replays wire-format fixtures over real HTTP and
 * injects faults (error statuses with headers, stalls, streams cut mid-message, in-band errors).
 * Replies are queued; when the queue is empty the default reply answers. Every request is recorded.
 */
public final class MockProvider implements AutoCloseable {

    /** A scripted reply. */
    public static final class Reply {
        final int status;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<byte[]> chunks;
        int stallAfter = -1;
        long stallMillis;
        long gapMillis;

        private Reply(int status, String contentType, List<byte[]> chunks) {
            this.status = status;
            headers.put("Content-Type", contentType);
            this.chunks = chunks;
        }

        /** A whole JSON body. */
        public static Reply json(int status, String fixture) {
            return new Reply(status, "application/json", List.of(Fixtures.bytes(fixture)));
        }

        /** A JSON body given inline. */
        public static Reply jsonText(int status, String body) {
            return new Reply(status, "application/json", List.of(body.getBytes(StandardCharsets.UTF_8)));
        }

        /** A stream fixture, flushed event by event. */
        public static Reply stream(String fixture) {
            String type = fixture.endsWith(".ndjson") ? "application/x-ndjson" : "text/event-stream";
            return new Reply(200, type, new ArrayList<>(Fixtures.events(fixture)));
        }

        /** A stream given inline, one element per event. */
        public static Reply streamText(String... events) {
            List<byte[]> chunks = new ArrayList<>();
            for (String e : events) {
                chunks.add(e.getBytes(StandardCharsets.UTF_8));
            }
            return new Reply(200, "text/event-stream", chunks);
        }

        /** An error whose status and headers come from a {@code .headers} fixture. */
        public static Reply error(String bodyFixture, String headersFixture) {
            Reply r = new Reply(Fixtures.status(headersFixture), "application/json", List.of(Fixtures.bytes(bodyFixture)));
            r.headers.putAll(Fixtures.headers(headersFixture));
            return r;
        }

        public Reply header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** Only the first {@code n} events are sent, then the body ends (a cut stream). */
        public Reply cutAfter(int n) {
            while (chunks.size() > n) {
                chunks.remove(chunks.size() - 1);
            }
            return this;
        }

        /** After {@code n} events the server goes silent for {@code millis} (a stall). */
        public Reply stallAfter(int n, long millis) {
            this.stallAfter = n;
            this.stallMillis = millis;
            return this;
        }

        /** Waits between events. */
        public Reply gap(long millis) {
            this.gapMillis = millis;
            return this;
        }
    }

    /** A request as received. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
    }

    private final Server server;
    private final Deque<Reply> queue = new ConcurrentLinkedDeque<>();
    private volatile Reply fallback;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger aborted = new AtomicInteger();
    private final CountDownLatch closing = new CountDownLatch(1);

    public MockProvider(Reply fallback) {
        this.fallback = fallback;
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder(new HttpServlet() {
            private static final long serialVersionUID = 1L;

            @Override
            protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
                handle(req, resp);
            }
        }), "/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The API root, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    }

    /** Queues replies, answered in order before the default. */
    public MockProvider then(Reply... replies) {
        queue.addAll(List.of(replies));
        return this;
    }

    public MockProvider fallback(Reply reply) {
        this.fallback = reply;
        return this;
    }

    public int calls() {
        return calls.get();
    }

    /** Replies whose writing failed because the client had closed the connection. */
    public int aborted() {
        return aborted.get();
    }

    public List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public Received last() {
        List<Received> r = received();
        return r.get(r.size() - 1);
    }

    private void handle(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        calls.incrementAndGet();
        Map<String, String> h = new LinkedHashMap<>();
        Collections.list(req.getHeaderNames()).forEach(n -> h.put(n.toLowerCase(java.util.Locale.ROOT), req.getHeader(n)));
        String body = new String(req.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String path = req.getRequestURI() + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
        received.add(new Received(req.getMethod(), path, h, body));
        Reply r = queue.poll();
        if (r == null) {
            r = fallback;
        }
        resp.setStatus(r.status);
        r.headers.forEach(resp::setHeader);
        OutputStream out = resp.getOutputStream();
        try {
            for (int i = 0; i < r.chunks.size(); i++) {
                if (i == r.stallAfter) {
                    out.flush();
                    await(r.stallMillis);
                }
                out.write(r.chunks.get(i));
                out.flush();
                if (r.gapMillis > 0) {
                    await(r.gapMillis);
                }
            }
            if (r.stallAfter >= r.chunks.size()) {
                out.flush();
                await(r.stallMillis);
            }
        } catch (IOException e) {
            aborted.incrementAndGet();
            throw e;
        }
    }

    private void await(long millis) {
        try {
            closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closing.countDown();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
