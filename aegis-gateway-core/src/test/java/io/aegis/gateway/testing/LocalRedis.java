package io.aegis.gateway.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Test fixture: the real Redis the tests share (127.0.0.1:6379, started by {@code .ci/run}), and
 * private {@code redis-server} processes for outage tests. Tests that need Redis fail loudly when
 * it is absent; they never skip. Every test uses its own key prefix ({@link #uniqueNamespace}),
 * never FLUSHALL.
 */
public final class LocalRedis {

    /** The shared local Redis. */
    public static final String URI = "redis://127.0.0.1:6379";

    private LocalRedis() {
    }

    /** Fails with a clear message unless the shared Redis answers PING. */
    public static void require() {
        require(6379);
    }

    /** Fails with a clear message unless a Redis on this port answers PING. */
    public static void require(int port) {
        try {
            if (!ping(port)) {
                throw new AssertionError("Redis at 127.0.0.1:" + port + " does not answer PING");
            }
        } catch (IOException e) {
            throw new AssertionError("these tests need Redis at 127.0.0.1:" + port
                    + " (started by .ci/run; e.g. redis-server --port " + port + " --save '' --appendonly no): " + e, e);
        }
    }

    /** A namespace no other test run shares, e.g. {@code it-3f2a9c}. */
    public static String uniqueNamespace(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static boolean ping(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[7];
            int n = in.readNBytes(buf, 0, 7);
            return n == 7 && new String(buf, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
    }

    /** Sends one command to a Redis and answers the raw reply (for test assertions such as TTL). */
    public static String command(int port, String... args) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            s.setSoTimeout(2000);
            StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
            for (String a : args) {
                byte[] b = a.getBytes(StandardCharsets.UTF_8);
                sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
            }
            s.getOutputStream().write(sb.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8).trim();
        }
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A private {@code redis-server} on its own port, for tests that stop and start it. */
    public static final class Server implements AutoCloseable {
        private final int port;
        private final Path dir;
        private Process process;

        public Server(int port) throws IOException {
            this.port = port;
            this.dir = Files.createTempDirectory("aegis-redis-");
        }

        public int port() {
            return port;
        }

        public String uri() {
            return "redis://127.0.0.1:" + port;
        }

        /** Starts the server and waits until it answers PING (at most 10 s). */
        public Server start() throws IOException, InterruptedException {
            process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString()))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try {
                    if (ping(port)) {
                        return this;
                    }
                } catch (IOException e) {
                    // not yet listening
                }
                Thread.sleep(20);
            }
            throw new AssertionError("redis-server on port " + port + " did not start; is /usr/bin/redis-server installed?");
        }

        /** Kills the server (SIGKILL, as a crash) and waits for it to be gone. */
        public void kill() {
            if (process != null) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                process = null;
            }
        }

        @Override
        public void close() {
            kill();
        }
    }
}
