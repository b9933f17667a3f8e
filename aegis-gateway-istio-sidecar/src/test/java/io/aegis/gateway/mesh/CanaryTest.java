package io.aegis.gateway.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Canary steps on generated VirtualServices: stage by stage, forced jumps, rollback, and agreement with generation. */
class CanaryTest {

    static String virtualService(int canaryWeight) {
        return MeshGenerator.generate(rollout(canaryWeight)).file("istio/virtual-service.yaml");
    }

    static MeshDescription rollout(int canaryWeight) {
        MeshDescription prod = Examples.describe("recommendation-service", "prod");
        List<MeshVersion> versions = prod.versions().stream()
                .map(v -> v.withWeight(v.id().equals("v2") ? canaryWeight : 100 - canaryWeight)).toList();
        return MeshSourceTestSupport.withVersions(prod, versions);
    }

    @Test
    void promotionGoesOneStageAtATimeAndEqualsWhatTheGeneratorWrites() {
        String vs = virtualService(5);
        assertThat(vs).contains("aegis.io/rollout-canary: v2");
        Canary.Step to25 = Canary.promote(vs, 25, false);
        assertThat(to25.from()).isEqualTo(5);
        assertThat(to25.yaml()).isEqualTo(virtualService(25));
        Canary.Step to50 = Canary.promote(to25.yaml(), 50, false);
        Canary.Step to100 = Canary.promote(to50.yaml(), 100, false);
        assertThat(to100.yaml()).isEqualTo(virtualService(100));
    }

    @Test
    void skippingAStageIsRefusedUnlessForced() {
        String vs = virtualService(5);
        assertThatThrownBy(() -> Canary.promote(vs, 50, false))
                .isInstanceOf(MeshConfigException.class)
                .hasMessage("--to: 50: the canary v2 is at 5% and the next stage is 25% (expected: one stage at a time,"
                        + " 5 -> 25 -> 50 -> 100; --force skips stages)");
        assertThat(Canary.promote(vs, 50, true).yaml()).isEqualTo(virtualService(50));
        assertThatThrownBy(() -> Canary.promote(vs, 101, true)).hasMessageStartingWith("--to: 101");
    }

    @Test
    void goingDownToALowerStageIsAllowedButNotToAnArbitraryShare() {
        String at50 = virtualService(50);
        assertThat(Canary.promote(at50, 25, false).yaml()).isEqualTo(virtualService(25));
        assertThatThrownBy(() -> Canary.promote(at50, 30, false)).hasMessageContaining("one of the stages [5, 25, 50, 100]");
    }

    @Test
    void rollbackReturnsEverythingToTheStableVersion() {
        Canary.Step back = Canary.rollback(virtualService(50));
        assertThat(back.from()).isEqualTo(50);
        assertThat(back.to()).isZero();
        assertThat(back.yaml()).isEqualTo(virtualService(0));
        // the new version's own prefix stays on its pods: only they serve it
        assertThat(back.yaml()).contains("prefix: /api/v2/");
        // and the canary starts again at the first stage
        assertThat(Canary.promote(back.yaml(), 5, false).yaml()).isEqualTo(virtualService(5));
    }

    @Test
    void aVirtualServiceWithoutRolloutIsRefused() {
        String plain = MeshGenerator.generate(Examples.describe("user-service", "prod")).file("istio/virtual-service.yaml");
        assertThatThrownBy(() -> Canary.promote(plain, 25, false)).isInstanceOf(MeshConfigException.class)
                .hasMessageStartingWith("rollout: the VirtualService declares no rollout");
        assertThatThrownBy(() -> Canary.rollback("kind: Deployment\n")).hasMessageStartingWith("virtual-service: no VirtualService");
        assertThatThrownBy(() -> Canary.rollback("{{{")).hasMessageStartingWith("virtual-service: not valid YAML");
    }
}
