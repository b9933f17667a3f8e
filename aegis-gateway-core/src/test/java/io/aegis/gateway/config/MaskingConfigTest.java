package io.aegis.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.masking.Detector;
import io.aegis.gateway.masking.MaskingPolicy;
import io.aegis.gateway.masking.MaskingSettings;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Masking from configuration and from the builder give equal policies; bad values name the key. */
class MaskingConfigTest {

    @Test
    void configurationAndBuilderAgree() {
        ServicePolicy fromConfig = PolicyConfig.read(AegisConfig.ofMap(Map.of(
                "aegis.service.name", "users",
                "aegis.masking.fields", "password, ssn",
                "aegis.masking.detectors", "jwt,secret",
                "aegis.masking.exempt-scope", "pii:admin",
                "aegis.masking.max-buffer-bytes", "65536",
                "aegis.routes.get-user.path", "/users/{id}",
                "aegis.routes.get-user.masking.fields", "email,phone",
                "aegis.routes.get-user.masking.paths", "$.friends[*].email,$..card",
                "aegis.routes.get-user.masking.detectors", "resident-id",
                "aegis.routes.get-user.masking.exempt-scope", "none")));
        MaskingSettings settings = MaskingSettings.builder()
                .exemptScope("pii:admin").maxBufferBytes(65536)
                .serviceRules(MaskingPolicy.builder().fields(List.of("password", "ssn")).detectors(Detector.JWT, Detector.SECRET).build())
                .build();
        assertThat(fromConfig.masking()).isEqualTo(settings);
        RoutePolicy route = fromConfig.routes().get(0);
        assertThat(route.masking()).isEqualTo(MaskingPolicy.builder().fields(List.of("email", "phone"))
                .paths(List.of("$.friends[*].email", "$..card")).detectors(Detector.RESIDENT_ID).build());
        assertThat(route.masking().exemptScope()).isNull();
    }

    @Test
    void defaults() {
        ServicePolicy p = PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.routes.a.path", "/a")));
        assertThat(p.masking()).isEqualTo(MaskingSettings.defaults());
        assertThat(p.masking().exemptScope()).isEqualTo("pii:read");
        assertThat(p.routes().get(0).masking()).isNull();
        assertThat(PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.masking.enabled", "false"))).masking().enabled()).isFalse();
        assertThat(PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.masking.exempt-scope", "none"))).masking().exemptScope()).isNull();
    }

    @Test
    void invalidValuesNameKeyValueAndRule() {
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.masking.detectors", "email,ssn"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.masking.detectors='email,ssn'")
                .hasMessageContaining("expected: one of email");
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of(
                "aegis.routes.a.path", "/a", "aegis.routes.a.masking.paths", "users.email"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.routes.a.masking.paths='users.email'")
                .hasMessageContaining("starting with $");
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.masking.max-buffer-bytes", "10"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.masking.max-buffer-bytes='10'");
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.masking.exempt-scope", "a b"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one scope without spaces");
        assertThatThrownBy(() -> PolicyConfig.read(AegisConfig.ofMap(Map.of("aegis.masking.enabled", "maybe"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("aegis.masking.enabled='maybe'");
    }
}
