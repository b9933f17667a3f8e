package io.aegis.gateway.auth.jwt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.aegis.gateway.testing.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The strict compact-JWS parser on its own: reasons are for logs, so they name what is wrong. */
class StrictJwsTest {

    private static final String H = Tokens.b64("{\"alg\":\"RS256\",\"kid\":\"k1\"}");
    private static final String P = Tokens.b64("{\"sub\":\"u\",\"n\":1.5,\"a\":[1,\"x\"],\"o\":{\"k\":true}}");

    @Test
    void parsesHeaderClaimsAndParts() throws Exception {
        StrictJws jws = StrictJws.parse(H + "." + P + ".c2ln");
        assertThat(jws.algorithm()).isEqualTo("RS256");
        assertThat(jws.keyId()).isEqualTo("k1");
        assertThat(jws.claims()).isEqualTo(Map.of("sub", "u", "n", 1.5, "a", List.of(1, "x"), "o", Map.of("k", true)));
        assertThat(jws.encodedSignature()).isEqualTo("c2ln");
        assertThat(jws.firstDot()).isEqualTo(H.length());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "QQ|true", "QR|false", "QUE|true", "QUF|false", "QUFB|true", "QUFBQ|false", "QUF=|false", "Q+E|false",
            "Q/E|false", "Q E|false", "Q-_A|true"})
    void base64UrlMustBeCanonicalAndUnpadded(String part, boolean ok) {
        if (ok) {
            assertThat(canonical(part)).isTrue();
        } else {
            assertThat(canonical(part)).isFalse();
        }
    }

    private static boolean canonical(String part) {
        try {
            StrictJws.checkBase64Url(part, 0, part.length(), "payload");
            return true;
        } catch (StrictJws.Malformed e) {
            return false;
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "a.b|not three dot-separated parts",
            ".Y.c2ln|not three dot-separated parts",
            "e30..c2ln|empty payload",
            "e30.e30.|empty signature",
            "e30.e30.c2ln.x|not three dot-separated parts",
            "e30=.e30.c2ln|header has a character outside the base64url alphabet at 3",
            "e30.e3.c2ln|payload is not canonical base64url (non-zero trailing bits)",
            "e30.e30.c2lu5|signature has an impossible base64url length",
            "W10.e30.c2ln|header is not a JSON object",
            "e30.bnVsbA.c2ln|payload is not a JSON object"})
    void malformedTokensNameTheReason(String token, String reason) {
        assertThatThrownBy(() -> StrictJws.parse(token)).isInstanceOf(StrictJws.Malformed.class).hasMessage(reason);
    }

    @Test
    void duplicateMembersAreNamedAsSuch() {
        String dup = Tokens.b64("{\"a\":1,\"a\":2}");
        assertThatThrownBy(() -> StrictJws.parse(H + "." + dup + ".c2ln"))
                .hasMessageStartingWith("payload is not strict JSON: ").hasMessageEndingWith("(duplicate member)");
    }

    @Test
    void deeplyNestedOrHugeNumbersAreRefused() {
        String deep = Tokens.b64("{\"a\":" + "[".repeat(100) + "]".repeat(100) + "}");
        assertThatThrownBy(() -> StrictJws.parse(H + "." + deep + ".c2ln")).hasMessageStartingWith("payload is not strict JSON");
        String big = Tokens.b64("{\"a\":" + "9".repeat(100) + "}");
        assertThatThrownBy(() -> StrictJws.parse(H + "." + big + ".c2ln")).hasMessageStartingWith("payload is not strict JSON");
    }
}
