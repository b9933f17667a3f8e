package io.aegis.gateway.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApiKeyHasherTest {

    static final byte[] PEPPER = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void hashIsHmacSha256OfThePepper() throws Exception {
        ApiKeyHasher h = new ApiKeyHasher(PEPPER);
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(PEPPER, "HmacSHA256"));
        assertThat(h.hash("aegis_test_x")).isEqualTo(mac.doFinal("aegis_test_x".getBytes(StandardCharsets.US_ASCII)));
        assertThat(h.hashHex("k")).hasSize(64);
    }

    @Test
    void anotherPepperGivesAnotherHashAndFingerprint() {
        byte[] other = PEPPER.clone();
        other[0] ^= 1;
        assertThat(new ApiKeyHasher(PEPPER).hash("k")).isNotEqualTo(new ApiKeyHasher(other).hash("k"));
        assertThat(new ApiKeyHasher(PEPPER).pepperFingerprint()).isNotEqualTo(new ApiKeyHasher(other).pepperFingerprint())
                .isEqualTo(new ApiKeyHasher(PEPPER).pepperFingerprint());
    }

    @Test
    void shortPepperIsRefused() {
        assertThatThrownBy(() -> new ApiKeyHasher(new byte[31])).hasMessageContaining("at least 32");
        assertThat(new ApiKeyHasher(PEPPER).toString()).doesNotContain("0123");
    }

    @Test
    void comparisonIsByContent() {
        assertThat(ApiKeyHasher.matches(new byte[] {1, 2}, new byte[] {1, 2})).isTrue();
        assertThat(ApiKeyHasher.matches(new byte[] {1, 2}, new byte[] {1, 3})).isFalse();
    }
}
