package io.aegis.gateway.mesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.mesh.Examples;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI in-process: commands, one-line errors and exit codes. */
class AegisMeshTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = AegisMesh.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(code, out.toString(), err.toString());
    }

    static String descriptor(String service) {
        return Examples.descriptor(service).toString();
    }

    @Test
    void generateWritesEveryFileAndSaysWhich(@TempDir Path out) {
        Run r = run("generate", "--service", descriptor("policy-service"), "--env", "prod", "--out", out.toString(),
                "--now", Examples.NOW.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("files for policy-service (prod)").contains("istio/authorization-policy.yaml")
                .contains("helm/istiod-values.yaml");
        assertThat(out.resolve("kong/kong.yaml")).exists();
        assertThat(out.resolve("kubernetes/config-map.yaml")).exists();
    }

    @Test
    void usageErrorsAreOneLineAndExit2() {
        Run none = run();
        assertThat(none.code()).isEqualTo(AegisMesh.USAGE);
        assertThat(none.err().strip()).doesNotContain("\n").startsWith("aegis-mesh: a command is required");
        Run missing = run("generate", "--service", descriptor("user-service"));
        assertThat(missing.code()).isEqualTo(AegisMesh.USAGE);
        assertThat(missing.err().strip()).doesNotContain("\n").contains("Missing required option").contains("aegis-mesh generate --help");
        assertThat(run("frobnicate").code()).isEqualTo(AegisMesh.USAGE);
    }

    @Test
    void refusedInputExits3NamingFileAndField(@TempDir Path dir) throws Exception {
        Path d = dir.resolve("svc/aegis-mesh.yaml");
        Files.createDirectories(d.getParent().resolve("env"));
        Files.writeString(d, "service: svc\nnamespace: ns\nversions: [{id: v1, weight: 70}, {id: v2, weight: 20}]\n");
        Files.writeString(d.getParent().resolve("env/prod.yaml"), "{}\n");
        Run r = run("generate", "--service", d.toString(), "--env", "prod", "--out", dir.resolve("out").toString());
        assertThat(r.code()).isEqualTo(AegisMesh.REFUSED);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("aegis-mesh: " + d + " (prod.yaml): versions[*].weight:")
                .contains("sum to 90");
        assertThat(run("generate", "--service", d.toString(), "--env", "qa", "--out", "x").err()).contains("no overlay");
    }

    @Test
    void missingFilesExit4() {
        Run r = run("generate", "--service", "/nonexistent/aegis-mesh.yaml", "--env", "prod", "--out", "x");
        assertThat(r.code()).isEqualTo(AegisMesh.IO);
        assertThat(r.err().strip()).doesNotContain("\n").contains("cannot read /nonexistent/aegis-mesh.yaml");
        assertThat(run("rollback", "--file", "/nonexistent/vs.yaml").code()).isEqualTo(AegisMesh.IO);
        assertThat(run("validate", "--tool", "/nonexistent/tool", "/tmp").code()).isEqualTo(AegisMesh.IO);
    }

    @Test
    void canaryAndRollbackRewriteTheGeneratedVirtualService(@TempDir Path out) throws Exception {
        assertThat(run("generate", "--service", descriptor("recommendation-service"), "--env", "prod", "--out", out.toString(),
                "--now", Examples.NOW.toString()).code()).isZero();
        Run skip = run("canary", "--out", out.toString(), "--to", "50");
        assertThat(skip.code()).isEqualTo(AegisMesh.REFUSED);
        assertThat(skip.err()).contains("next stage is 25%");
        Run step = run("canary", "--out", out.toString(), "--to", "25");
        assertThat(step.code()).as(step.err()).isZero();
        assertThat(step.out()).contains("canary 5% -> 25%");
        assertThat(Files.readString(out.resolve("istio/virtual-service.yaml"))).contains("weight: 75").contains("weight: 25");
        Run back = run("rollback", "--file", out.resolve("istio/virtual-service.yaml").toString());
        assertThat(back.code()).isZero();
        assertThat(back.out()).contains("canary 25% -> 0%");
        assertThat(run("canary", "--out", out.toString(), "--to", "5").code()).isZero();
    }

    @Test
    void validateChecksWhatItGeneratesAndReportsFailures(@TempDir Path dir) throws Exception {
        Run ok = run("validate", "--service", descriptor("user-service"), "--env", "staging", "--now", Examples.NOW.toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("0 failed");
        Files.writeString(dir.resolve("bad.yaml"), "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: x}\n"
                + "spec: {hosts: [x], http: [{timeout: PT1S}]}\n");
        Run bad = run("validate", dir.toString());
        assertThat(bad.code()).isEqualTo(AegisMesh.INVALID_CONFIG);
        assertThat(bad.out()).contains("FAIL");
    }

    @Test
    void everyCommandHasHelp() {
        for (String c : new String[] {"generate", "canary", "rollback", "validate", "serve-ext-authz"}) {
            Run r = run(c, "--help");
            assertThat(r.code()).isZero();
            assertThat(r.out()).contains("Usage: aegis-mesh " + c);
        }
        assertThat(run("--help").out()).contains("Exit codes:").contains("3   input refused");
    }
}
