package io.aegis.gateway.mesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.mesh.Examples;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** target/aegis-mesh.jar run as a user runs it: java -jar, real files, real processes. */
class AegisMeshJarIT {

    static final Path JAR = Examples.module().resolve("target/aegis-mesh.jar");

    record Result(int code, String out) {
    }

    static Result run(String... args) throws Exception {
        assertThat(JAR).as("run after package").exists();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(Examples.root().toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }

    @Test
    void helpListsTheCommandsAndExitCodes() throws Exception {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("generate").contains("canary").contains("rollback").contains("validate")
                .contains("serve-ext-authz").contains("Exit codes:");
        assertThat(run("generate", "--help").out()).contains("--service").contains("--env").contains("--out");
    }

    @Test
    void generateThenValidateThenMoveTheCanary(@TempDir Path out) throws Exception {
        Result gen = run("generate", "--service", "deploy/recommendation-service/aegis-mesh.yaml", "--env", "prod",
                "--out", out.toString(), "--now", Examples.NOW.toString());
        assertThat(gen.code()).as(gen.out()).isZero();
        Result valid = run("validate", out.resolve("istio").toString(), out.resolve("kong").toString(),
                out.resolve("kubernetes").toString());
        assertThat(valid.code()).as(valid.out()).isZero();
        assertThat(valid.out()).contains(" 0 failed");
        assertThat(run("canary", "--out", out.toString(), "--to", "100").code()).isEqualTo(AegisMesh.REFUSED);
        assertThat(run("canary", "--out", out.toString(), "--to", "25").code()).isZero();
        assertThat(run("rollback", "--out", out.toString()).code()).isZero();
        assertThat(run("validate", out.resolve("istio").toString()).code()).isZero();
    }

    @Test
    void errorsAreOneLineWithTheirExitCode(@TempDir Path out) throws Exception {
        Result usage = run("generate", "--env", "prod");
        assertThat(usage.code()).isEqualTo(AegisMesh.USAGE);
        assertThat(usage.out().strip().lines()).hasSize(1);
        Result refused = run("generate", "--service", "deploy/user-service/aegis-mesh.yaml", "--env", "qa", "--out", out.toString());
        assertThat(refused.code()).isEqualTo(AegisMesh.REFUSED);
        assertThat(refused.out().strip().lines()).hasSize(1);
        assertThat(refused.out()).doesNotContain("Exception").contains("no overlay");
    }

    @Test
    void serveExtAuthzAnswersChecksAndProbes(@TempDir Path dir) throws Exception {
        TestKeys.SigningKey key = TestKeys.rsa("jar-key");
        try (JwksServer jwks = new JwksServer(TestKeys.jwks(key))) {
            Path config = dir.resolve("aegis.properties");
            Files.writeString(config, String.join("\n",
                    "aegis.service.name=legacy-billing",
                    "aegis.auth.jwt.jwks-uri=" + jwks.uri(),
                    "aegis.auth.jwt.issuer=" + Tokens.ISSUER,
                    "aegis.auth.jwt.audiences=" + Tokens.AUDIENCE,
                    "aegis.routes.invoice.method=GET",
                    "aegis.routes.invoice.path=/api/v1/invoices/{id}",
                    "aegis.routes.invoice.scopes=invoices:read",
                    "aegis.ext-authz.host=127.0.0.1",
                    ""));
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                    JAR.toString(), "serve-ext-authz", "--config", config.toString(), "--port", "0")
                    .redirectErrorStream(true).start();
            try {
                BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                int port = -1;
                Pattern ready = Pattern.compile("ext_authz for legacy-billing on port (\\d+)");
                for (String line; port < 0 && (line = lines.readLine()) != null; ) {
                    Matcher m = ready.matcher(line);
                    if (m.find()) {
                        port = Integer.parseInt(m.group(1));
                    }
                }
                assertThat(port).as("the sidecar said where it listens").isPositive();
                Thread drain = new Thread(() -> lines.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                HttpClient http = HttpClient.newHttpClient();
                URI base = URI.create("http://127.0.0.1:" + port);
                assertThat(http.send(HttpRequest.newBuilder(base.resolve("/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                HttpResponse<String> denied = http.send(HttpRequest.newBuilder(base.resolve("/ext-authz/api/v1/invoices/7")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(denied.statusCode()).isEqualTo(401);
                assertThat(denied.body()).contains("unauthorized");
                String token = Tokens.mint(key).claim("sub", "alice").scopes("invoices:read").sign();
                HttpResponse<String> allowed = http.send(HttpRequest.newBuilder(base.resolve("/ext-authz/api/v1/invoices/7"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(allowed.statusCode()).isEqualTo(200);
                assertThat(allowed.headers().firstValue("x-aegis-principal")).hasValue("alice");
            } finally {
                p.destroy();
                p.waitFor(20, TimeUnit.SECONDS);
            }
        }
    }
}
