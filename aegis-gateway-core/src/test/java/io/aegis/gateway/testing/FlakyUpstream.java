package io.aegis.gateway.testing;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Test fixture: a real HTTP upstream on embedded Jetty 12 that fails on command — status codes
 * (with {@code Retry-After}), slow answers, connection resets (TCP RST), stalls that never answer —
 * and records what it received. Behaviours are queued ({@link #enqueue}) or standing
 * ({@link #respondWith}); a path registered with {@link #route} answers independently (health
 * checks).
 */
public final class FlakyUpstream implements AutoCloseable {

    /** What the upstream does with one request. */
    public sealed interface Behaviour permits Ok, Status, Slow, Reset, Stall {
    }

    /** 200 with this body. */
    public record Ok(String body) implements Behaviour {
    }

    /** This status, optional {@code Retry-After}, a small problem body. */
    public record Status(int status, String retryAfter) implements Behaviour {
    }

    /** 200 after this delay. */
    public record Slow(Duration delay, String body) implements Behaviour {
    }

    /** The connection is reset (RST) without an answer. */
    public record Reset() implements Behaviour {
    }

    /** The request is never answered (until the upstream closes). */
    public record Stall() implements Behaviour {
    }

    /** A request as received. */
    public record Received(String method, String path, String query, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    public static Behaviour ok(String body) {
        return new Ok(body);
    }

    public static Behaviour status(int status) {
        return new Status(status, null);
    }

    public static Behaviour status(int status, String retryAfter) {
        return new Status(status, retryAfter);
    }

    public static Behaviour slow(Duration delay) {
        return new Slow(delay, "{\"slow\":true}");
    }

    public static Behaviour reset() {
        return new Reset();
    }

    public static Behaviour stall() {
        return new Stall();
    }

    private final Server server;
    private final ServerConnector connector;
    private final String name;
    private final ConcurrentLinkedQueue<Behaviour> queue = new ConcurrentLinkedQueue<>();
    private final AtomicReference<Behaviour> standing = new AtomicReference<>(new Ok("{\"ok\":true}"));
    private final Map<String, AtomicReference<Behaviour>> routes = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<Callback> stalled = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean recording = true;

    /** An upstream on a free local port, answering 200 until told otherwise. */
    public FlakyUpstream(String name) {
        this.name = name;
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("upstream-" + name);
        threads.setDaemon(true);
        server = new Server(threads);
        connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        connector.setIdleTimeout(30_000);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return serve(request, response, callback);
            }
        });
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the fake upstream", e);
        }
    }

    private boolean serve(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        AtomicReference<Behaviour> route = routes.get(path);
        Behaviour b;
        if (route != null) {
            b = route.get();
        } else {
            requests.incrementAndGet();
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            if (recording) {
                Map<String, String> headers = new java.util.LinkedHashMap<>();
                for (HttpField f : request.getHeaders()) {
                    headers.put(f.getLowerCaseName(), f.getValue());
                }
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                received.add(new Received(request.getMethod(), path, request.getHttpURI().getQuery(), headers, body));
            }
            Behaviour next = queue.poll();
            b = next != null ? next : standing.get();
        }
        try {
            return answer(b, request, response, callback);
        } finally {
            if (route == null) {
                inFlight.decrementAndGet();
            }
        }
    }

    private boolean answer(Behaviour b, Request request, Response response, Callback callback) throws Exception {
        if (b instanceof Ok ok) {
            write(response, callback, 200, ok.body(), null);
        } else if (b instanceof Status s) {
            write(response, callback, s.status(), "{\"type\":\"about:blank\",\"status\":" + s.status() + "}", s.retryAfter());
        } else if (b instanceof Slow s) {
            Thread.sleep(s.delay().toMillis());
            write(response, callback, 200, s.body(), null);
        } else if (b instanceof Reset) {
            EndPoint ep = request.getConnectionMetaData().getConnection().getEndPoint();
            if (ep instanceof SocketChannelEndPoint sc) {
                sc.getChannel().setOption(StandardSocketOptions.SO_LINGER, 0);
            }
            ep.close();
            callback.failed(new IOException("reset by the fake upstream"));
        } else {
            stalled.add(callback);
        }
        return true;
    }

    private static void write(Response response, Callback callback, int status, String body, String retryAfter) {
        response.setStatus(status);
        response.getHeaders().put("Content-Type", "application/json");
        if (retryAfter != null) {
            response.getHeaders().put("Retry-After", retryAfter);
        }
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    /** The port. */
    public int port() {
        return connector.getLocalPort();
    }

    /** {@code 127.0.0.1:port}. */
    public String authority() {
        return "127.0.0.1:" + port();
    }

    public String name() {
        return name;
    }

    /** Answers every request (without a queued behaviour) this way from now on. */
    public FlakyUpstream respondWith(Behaviour b) {
        standing.set(b);
        return this;
    }

    /** Answers the next requests these ways, in order, before the standing behaviour. */
    public FlakyUpstream enqueue(Behaviour... bs) {
        queue.addAll(List.of(bs));
        return this;
    }

    /** Answers requests to this exact path this way (not counted, not recorded): health endpoints. */
    public FlakyUpstream route(String path, Behaviour b) {
        routes.computeIfAbsent(path, p -> new AtomicReference<>()).set(b);
        return this;
    }

    /** Stops recording request details (long runs). */
    public FlakyUpstream recording(boolean on) {
        this.recording = on;
        return this;
    }

    /** Requests received (outside registered routes). */
    public int requests() {
        return requests.get();
    }

    public int maxInFlight() {
        return maxInFlight.get();
    }

    public List<Received> received() {
        return received;
    }

    public Received last() {
        return received.isEmpty() ? null : received.get(received.size() - 1);
    }

    /** Open TCP connections right now. */
    public int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    /** Forgets counts, recordings, queued behaviours; answers 200 again. */
    public void resetState() {
        requests.set(0);
        maxInFlight.set(0);
        received.clear();
        queue.clear();
        standing.set(new Ok("{\"ok\":true}"));
        releaseStalled();
    }

    /** Fails every stalled request (their connections close). */
    public void releaseStalled() {
        List<Callback> copy;
        synchronized (stalled) {
            copy = new ArrayList<>(stalled);
            stalled.clear();
        }
        copy.forEach(cb -> cb.failed(new IOException("released")));
    }

    @Override
    public void close() {
        releaseStalled();
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
