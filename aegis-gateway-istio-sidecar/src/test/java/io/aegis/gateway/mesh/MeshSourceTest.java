package io.aegis.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading descriptors and overlays: merging, profiles, and hostile input refused with the field named. */
class MeshSourceTest {

    static final String BASE = """
            service: orders
            namespace: shop
            policy:
              properties:
                aegis.auth.jwt.issuer: https://idp.example.com
                aegis.auth.jwt.jwks-uri: https://idp.example.com/jwks
                aegis.routes.get.method: GET
                aegis.routes.get.path: /api/v1/orders/{id}
                aegis.routes.get.version: v1
                aegis.routes.get.scopes: orders:read
                "%prod.aegis.auth.jwt.issuer": https://idp.prod.example.com
            versions:
              - id: v1
                weight: 100
            callers:
              - name: web
                principal: cluster.local/ns/shop/sa/web
                scopes: [orders:read]
            traffic:
              timeouts: {per-try: 1s, total: 3s}
            """;

    static MeshDescription load(Path dir, String descriptor, String overlay) throws Exception {
        Files.createDirectories(dir.resolve("env"));
        Files.writeString(dir.resolve("aegis-mesh.yaml"), descriptor);
        Files.writeString(dir.resolve("env/prod.yaml"), overlay);
        return MeshSource.of(dir.resolve("aegis-mesh.yaml")).environment("prod").clock(Examples.CLOCK).load();
    }

    @Test
    void theOverlayIsLaidOverTheDescriptorAndTheProfileApplies(@TempDir Path dir) throws Exception {
        MeshDescription d = load(dir, BASE, """
                hosts: [orders.example.com]
                traffic:
                  timeouts: {per-try: 500ms}
                limits:
                  free: 5/1s
                """);
        assertThat(d.hosts()).containsExactly("orders.example.com");
        assertThat(d.traffic().timeouts().perTry()).hasMillis(500);
        assertThat(d.traffic().timeouts().total()).hasSeconds(3);
        assertThat(d.tierLimits().forTier(io.aegis.gateway.policy.Tier.FREE).toString()).isEqualTo("5/1s");
        assertThat(d.auth().issuer()).isEqualTo("https://idp.prod.example.com");
        assertThat(d.environment()).isEqualTo("prod");
        assertThat(d.configuration()).containsEntry("aegis.service.environment", "prod");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'versionz: []'|versionz|unknown key",
            "'traffic: {retry: {max-attempts: 99}}'|traffic.retry.max-attempts|99 (expected: 1 to 10)",
            "'traffic: {timeouts: {connect: soon}}'|traffic.timeouts.connect|'soon'",
            "'traffic: {timeouts: {per-try: PT10S}}'|traffic.timeouts.per-try|10s (expected: at most the total 3s)",
            "'port: 99999'|port|99999",
            "'port: [1]'|port|ARRAY",
            "'versions: [{id: v1, weight: 60}]'|versions[*].weight|sum to 60",
            "'callers: [{name: web, principal: cluster.local/ns/shop/sa/web, edge: carrier-pigeon}]'|callers[web].edge|'carrier-pigeon'",
            "'max-body-size: 1TB'|max-body-size|'1TB'",
            "'policy: {properties: {aegis.ratelimit.tiers.free.limits: 5/1x}}'|policy.properties.aegis.ratelimit.tiers.free.limits|5/1x",
            "'mtls: {scope: mesh}'|mtls.scope|'mesh'",
            "'ip-restriction: {deny: [10.0.0.0/33]}'|ip-restriction.deny|'10.0.0.0/33'",
            "'versions: [{id: v1, weight: 100, sunset: yesterday}]'|versions[v1].sunset|'yesterday'",
            "'hosts: [\"ex\u0430mple.com\"]'|hosts|ex",
    })
    void hostileOverlaysAreRefusedNamingTheField(String overlay, String field, String fragment, @TempDir Path dir) {
        assertThatThrownBy(() -> load(dir, BASE, overlay)).isInstanceOf(MeshConfigException.class)
                .satisfies(e -> {
                    assertThat(((MeshConfigException) e).field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(fragment).doesNotContain("\n");
                });
    }

    @Test
    void duplicateKeysAndBrokenYamlAreRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> load(dir, BASE, "port: 1\nport: 2\n")).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("prod.yaml: not valid YAML").hasMessageContaining("Duplicate field 'port'");
        assertThatThrownBy(() -> load(dir, BASE, "hosts: [unclosed\n")).isInstanceOf(MeshConfigException.class)
                .hasMessageContaining("not valid YAML");
    }

    @Test
    void aMissingOverlayIsAnError(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("aegis-mesh.yaml"), BASE);
        assertThatThrownBy(() -> MeshSource.of(dir.resolve("aegis-mesh.yaml")).environment("qa").load())
                .hasMessageContaining("env: 'qa': no overlay");
    }

    @Test
    void profilesResolveLikeMicroProfileConfig() {
        assertThat(MeshSource.profiled(Map.of("a", "1", "%prod.a", "2", "%dev.b", "3", "c", "4"), "prod"))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "2", "c", "4"));
    }

    @Test
    void aClasspathEntryThatDoesNotExistIsAnError(@TempDir Path dir) {
        assertThatThrownBy(() -> load(dir, BASE.replace("policy:\n", "policy:\n  classpath: [nowhere/classes]\n"), "{}"))
                .isInstanceOf(MeshConfigException.class).hasMessageStartingWith("policy.classpath:")
                .hasMessageContaining("does not exist");
    }
}
