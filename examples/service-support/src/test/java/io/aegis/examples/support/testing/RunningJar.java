package io.aegis.examples.support.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test fixture: a packaged example service started with {@code java -jar} in a process of its
 * own and configured by environment variables only, as an outside check drives it. The port is
 * chosen free unless {@code AEGIS_HTTP_PORT} is given; {@link #start} returns once
 * {@code /health/ready} answers 200 and fails with the process's output otherwise.
 */
public final class RunningJar implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");

    private final String name;
    private final Process process;
    private final URI base;
    private final File log;

    private RunningJar(String name, Process process, URI base, File log) {
        this.name = name;
        this.process = process;
        this.base = base;
        this.log = log;
    }

    /**
     * Starts {@code target/<name>.jar} of the current module.
     *
     * @param env environment variables added to this process's environment
     * @param args arguments after {@code -jar <jar>}
     */
    public static RunningJar start(String name, Map<String, String> env, String... args) throws Exception {
        Path jar = Path.of("target", name + ".jar");
        if (!Files.exists(jar)) {
            throw new AssertionError(jar + " does not exist: run the package phase first");
        }
        String port = env.containsKey("AEGIS_HTTP_PORT") ? env.get("AEGIS_HTTP_PORT") : Integer.toString(freePort());
        ProcessBuilder pb = new ProcessBuilder(command(jar, args));
        pb.environment().put("AEGIS_HTTP_PORT", port);
        pb.environment().putAll(env);
        File log = Files.createTempFile(name, ".log").toFile();
        pb.redirectErrorStream(true).redirectOutput(log);
        RunningJar j = new RunningJar(name, pb.start(), URI.create("http://127.0.0.1:" + port), log);
        try {
            j.awaitReady();
        } catch (Exception | AssertionError e) {
            j.close();
            throw e;
        }
        return j;
    }

    /** Runs the jar to completion (a CLI command) and answers its exit status and output. */
    public static Result run(String name, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command(Path.of("target", name + ".jar"), args)).redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out);
    }

    /** Exit status and combined output of a finished process. */
    public record Result(int exitStatus, String output) {
    }

    private static java.util.List<String> command(Path jar, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(java.util.List.of(args));
        return cmd;
    }

    /** A port nothing listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public URI base() {
        return base;
    }

    /** What the process printed so far. */
    public String output() throws IOException {
        return Files.readString(log.toPath());
    }

    /** A token from the service's development issuer ({@code POST /dev/token}). */
    public String devToken(String scope) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(base.resolve("/dev/token?scope=" + scope.replace(" ", "%20")))
                .POST(HttpRequest.BodyPublishers.noBody()));
        Matcher m = TOKEN.matcher(r.body());
        if (r.statusCode() != 200 || !m.find()) {
            throw new AssertionError("no development token: " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    /** GET with a bearer token ({@code null}: none). */
    public HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    /** Sends a request built against {@link #base()}. */
    public HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitReady() throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited: " + output());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(base.resolve("/health/ready")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " not ready within 60 s: " + output());
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
