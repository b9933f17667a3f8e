package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
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
import org.junit.jupiter.api.Test;

/**
 * The versioning part of the black-box contract of examples/README.md, as an outside check
 * drives it: the packaged jar, {@code AEGIS_VERSIONS_V1_SUNSET} set in the past, development
 * tokens. Runs after {@code package} (failsafe).
 */
class UserServiceVersionsJarIT {

    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final Pattern TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

    @Test
    void bothVersionsAnswerAndVersionOneIsDeprecated() throws Exception {
        try (Jar jar = Jar.start(Map.of())) {
            String t = jar.token("users:read");
            HttpResponse<String> v2 = jar.get("/api/v2/users/u-1001", t);
            assertThat(v2.statusCode()).isEqualTo(200);
            assertThat(v2.body()).contains("\"givenName\":\"Ada\"", "\"familyName\":\"Lovelace\"");
            HttpResponse<String> v1 = jar.get("/api/v1/users/u-1001", t);
            assertThat(v1.statusCode()).isEqualTo(200);
            assertThat(v1.body()).contains("\"name\":\"Ada Lovelace\"");
            assertThat(v1.headers().firstValue("Deprecation")).hasValueSatisfying(d -> assertThat(d).matches("@[0-9]+"));
            assertThat(v1.headers().firstValue("Sunset")).hasValue("Fri, 31 Dec 2027 00:00:00 GMT");
            assertThat(v1.headers().allValues("Link")).anySatisfy(l -> assertThat(l).endsWith("; rel=\"successor-version\""))
                    .anySatisfy(l -> assertThat(l).endsWith("; rel=\"deprecation\""));
        }
    }

    @Test
    void aSunsetInThePastRetiresVersionOne() throws Exception {
        try (Jar jar = Jar.start(Map.of("AEGIS_VERSIONS_V1_SUNSET", "2020-01-01"))) {
            String t = jar.token("users:read");
            HttpResponse<String> gone = jar.get("/api/v1/users/u-1001", t);
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
            assertThat(gone.body()).contains("\"type\":\"https://aegis.io/problems/version-sunset\"", "\"successor\":\"v2\"",
                    "\"migration_guide\":\"https://github.com/aegis/aegis-gateway/blob/main/docs/migrations/user-service-v1-to-v2.md\"");
            assertThat(gone.headers().firstValue("Sunset")).hasValue("Wed, 01 Jan 2020 00:00:00 GMT");
            assertThat(jar.get("/api/v2/users/u-1001", t).statusCode()).isEqualTo(200);
            assertThat(jar.get("/api/users/u-1001", t).body()).contains("\"givenName\":\"Ada\"");
        }
    }

    /** The packaged jar in a process of its own. */
    record Jar(Process process, URI base, File log) implements AutoCloseable {

        static Jar start(Map<String, String> env) throws Exception {
            Path jar = Path.of("target", "user-service.jar");
            assertThat(jar).exists();
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString());
            pb.environment().put("AEGIS_HTTP_PORT", Integer.toString(port));
            pb.environment().putAll(env);
            File log = Files.createTempFile("user-service", ".log").toFile();
            pb.redirectErrorStream(true).redirectOutput(log);
            Jar j = new Jar(pb.start(), URI.create("http://127.0.0.1:" + port), log);
            try {
                j.awaitReady();
            } catch (Exception | AssertionError e) {
                j.close();
                throw e;
            }
            return j;
        }

        String token(String scope) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(base.resolve("/dev/token?scope=" + scope))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            Matcher m = TOKEN.matcher(r.body());
            assertThat(m.find()).isTrue();
            return m.group(1);
        }

        HttpResponse<String> get(String path, String token) throws Exception {
            return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        private void awaitReady() throws Exception {
            Instant deadline = Instant.now().plusSeconds(60);
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new AssertionError("user-service exited: " + Files.readString(log.toPath()));
                }
                try {
                    if (http.send(HttpRequest.newBuilder(base.resolve("/health/ready")).GET().build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(200);
            }
            throw new AssertionError("user-service not ready within 60 s: " + Files.readString(log.toPath()));
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
}
