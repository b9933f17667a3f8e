package io.aegis.gateway.auth.jwt;

import static io.aegis.gateway.auth.jwt.JwtTesting.REALM;
import static io.aegis.gateway.auth.jwt.JwtTesting.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.testing.FakeRequest;
import io.aegis.gateway.testing.JwksServer;
import io.aegis.gateway.testing.TestClock;
import io.aegis.gateway.testing.TestKeys;
import io.aegis.gateway.testing.Tokens;
import io.jsonwebtoken.security.Jwks;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tokens an attacker would send, against a JWKS endpoint holding an RSA key, an EC P-256 key, an
 * RSA key pinned to RS384 and an RSA key for encryption only. Hostile tokens carry a valid
 * signature over exactly their own bytes wherever possible, so that each rejection must come from
 * the check under test and not from the signature.
 */
class JwtHostileTokensTest {

    static final String MALFORMED = "The access token is malformed";
    static final String ALGORITHM = "The access token algorithm is not accepted";
    static final String HEADER = "The access token header is not accepted";
    static final String SIGNATURE = "The access token signature is invalid";
    static final String UNKNOWN_KEY = "The access token signing key is unknown";

    static final TestClock CLOCK = TestClock.fixed();
    static final TestKeys.SigningKey RSA = TestKeys.rsa("k1");
    static final TestKeys.SigningKey EC = TestKeys.ec("e1", "ES256");
    static final TestKeys.SigningKey PINNED_RS384 = TestKeys.rsa("k384", "RS384");
    static final TestKeys.SigningKey ENC = TestKeys.rsa("enc1");
    static final TestKeys.SigningKey STRANGER = TestKeys.rsa("k1");

    static JwksServer server;
    static JwtAuthenticator authenticator;

    @BeforeAll
    static void start() {
        String encJwk = Jwks.json(Jwks.builder().key(ENC.publicKey()).id(ENC.kid()).publicKeyUse("enc").build());
        server = new JwksServer("{\"keys\":[" + RSA.publicJwk() + "," + EC.publicJwk() + "," + PINNED_RS384.publicJwk()
                + "," + encJwk + "]}");
        authenticator = JwtAuthenticator.builder(JwtTesting.settings(JwtKeySource.jwksUri(server.uri()))
                        .jwksMinRefetchInterval(Duration.ZERO).build())
                .realm(REALM).clock(CLOCK).build();
    }

    @AfterAll
    static void stop() {
        authenticator.close();
        server.close();
    }

    static String payload() {
        return Tokens.payload(valid());
    }

    static String valid() {
        return Tokens.mint(RSA).now(CLOCK.instant()).sign();
    }

    static String rsaHeader() {
        return "{\"alg\":\"RS256\",\"kid\":\"k1\"}";
    }

    /** A token whose encoded parts are exactly these characters, validly signed by the RSA key. */
    static String signedParts(String header, String payload) {
        return Tokens.signInput(RSA.pair().getPrivate(), "RS256", header + "." + payload);
    }

    static byte[] concat(String before, int[] bytes, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        for (int b : bytes) {
            out.write(b);
        }
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** A payload whose base64url form has a length of 2 or 3 modulo 4 (so it has unused bits). */
    static String payloadWithUnusedBits() {
        String p = payload();
        while (Tokens.b64(p).length() % 4 == 0 || Tokens.b64(p).length() % 4 == 1) {
            p = p.substring(0, p.length() - 1) + ",\"x\":1}";
        }
        return p;
    }

    /** Sets the lowest bit of the last character: decoders that ignore unused bits decode the same bytes. */
    static String nonCanonical(String b64) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        int v = alphabet.indexOf(b64.charAt(b64.length() - 1));
        String changed = b64.substring(0, b64.length() - 1) + alphabet.charAt(v | 1);
        assertThat(Base64.getUrlDecoder().decode(changed)).isEqualTo(Base64.getUrlDecoder().decode(b64));
        return changed;
    }

    /** A payload whose standard base64 form contains both '+' and '/'. */
    static String standardAlphabetPayload() {
        for (String prefix = ""; prefix.length() < 3; prefix += "a") {
            String p = payload().replace("}", ",\"x\":\"" + prefix + "??????>>>>>>\"}");
            String std = Base64.getEncoder().withoutPadding().encodeToString(p.getBytes(StandardCharsets.UTF_8));
            if (std.contains("+") && std.contains("/")) {
                return std;
            }
        }
        throw new AssertionError("no payload encodes to '+' and '/'");
    }

    static Stream<Arguments> hostile() {
        List<Arguments> cases = new ArrayList<>();
        String payload = payload();
        String validSignature = Tokens.parts(valid()).get(2);
        for (String none : List.of("none", "None", "NONE", "nOnE")) {
            cases.add(Arguments.of("alg " + none + " without signature", Tokens.unsigned(none, payload), MALFORMED));
            cases.add(Arguments.of("alg " + none + " with a signature", Tokens.unsigned(none, payload) + validSignature,
                    ALGORITHM));
        }
        cases.add(Arguments.of("alg missing", signedParts(Tokens.b64("{\"kid\":\"k1\"}"), Tokens.b64(payload)), ALGORITHM));
        cases.add(Arguments.of("alg not a string", signedParts(Tokens.b64("{\"alg\":256,\"kid\":\"k1\"}"), Tokens.b64(payload)),
                ALGORITHM));
        cases.add(Arguments.of("alg RS256 in lower case", signedParts(Tokens.b64("{\"alg\":\"rs256\",\"kid\":\"k1\"}"),
                Tokens.b64(payload)), ALGORITHM));
        cases.add(Arguments.of("HS256 keyed with the RSA public key's encoded bytes (algorithm confusion)",
                Tokens.mint(RSA).now(CLOCK.instant()).signHmac(RSA.publicKey().getEncoded(), "HS256"), ALGORITHM));
        cases.add(Arguments.of("HS256 keyed with the RSA public key's PEM text (algorithm confusion)",
                Tokens.mint(RSA).now(CLOCK.instant()).signHmac(RSA.publicPem().getBytes(StandardCharsets.US_ASCII), "HS256"),
                ALGORITHM));
        cases.add(Arguments.of("tampered payload", Tokens.withPayload(valid(), payload.replace("user-1", "admin")), SIGNATURE));
        cases.add(Arguments.of("signature of another key with the same kid", Tokens.mint(STRANGER).now(CLOCK.instant()).sign(),
                SIGNATURE));
        cases.add(Arguments.of("ES256 signature of all zero bytes (r = s = 0)",
                Tokens.b64("{\"alg\":\"ES256\",\"kid\":\"e1\"}") + "." + Tokens.b64(payload) + "." + Tokens.b64(new byte[64]),
                SIGNATURE));
        String attackerJwk = STRANGER.publicJwk();
        cases.add(Arguments.of("embedded jwk", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"jwk\":" + attackerJwk + "}",
                payload), HEADER));
        cases.add(Arguments.of("jku", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"jku\":\"https://evil.test/jwks\"}",
                payload), HEADER));
        cases.add(Arguments.of("x5u", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"x5u\":\"https://evil.test/c.pem\"}",
                payload), HEADER));
        cases.add(Arguments.of("x5c", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"x5c\":[\"MIIBIjANBgkq\"]}",
                payload), HEADER));
        cases.add(Arguments.of("crit", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"crit\":[\"exp\"],\"exp\":1}",
                payload), HEADER));
        cases.add(Arguments.of("zip", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"zip\":\"DEF\"}", payload), HEADER));
        cases.add(Arguments.of("b64 false", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k1\",\"b64\":false}", payload),
                HEADER));
        cases.add(Arguments.of("kid not a string", Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":1}", payload), MALFORMED));

        // base64url exactly as RFC 7515 defines it
        String h = Tokens.b64(rsaHeader());
        String p = Tokens.b64(payload);
        int pad = (4 - p.length() % 4) % 4;
        cases.add(Arguments.of("padding '=' on the payload", signedParts(h, p + (pad == 0 ? "==" : "=".repeat(pad))), MALFORMED));
        cases.add(Arguments.of("padding '=' on the signature", valid() + "=", MALFORMED));
        cases.add(Arguments.of("standard alphabet '+' and '/'", signedParts(h, standardAlphabetPayload()), MALFORMED));
        cases.add(Arguments.of("a space in the payload", signedParts(h, p.substring(0, 8) + " " + p.substring(8)), MALFORMED));
        cases.add(Arguments.of("a line break in the payload", signedParts(h, p.substring(0, 8) + "\n" + p.substring(8)),
                MALFORMED));
        cases.add(Arguments.of("a tab in the header", signedParts(h.substring(0, 4) + "\t" + h.substring(4), p), MALFORMED));
        cases.add(Arguments.of("non-canonical trailing bits in the payload",
                signedParts(h, nonCanonical(Tokens.b64(payloadWithUnusedBits()))), MALFORMED));
        cases.add(Arguments.of("length % 4 == 1", signedParts(h, (p.length() % 4 == 0 ? p + "A" : p.substring(0, p.length()
                - (p.length() % 4) + 1))), MALFORMED));
        cases.add(Arguments.of("an empty header", signedParts("", p), MALFORMED));

        // UTF-8 (RFC 8725 §3.7): reject, never replace
        int[][] invalidUtf8 = {{0xC3, 0x28}, {0xC0, 0xAF}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xF8, 0x88, 0x80, 0x80, 0x80},
                {0xFF}, {0xC3}};
        for (int[] bad : invalidUtf8) {
            String hex = hex(bad);
            cases.add(Arguments.of("invalid UTF-8 " + hex + " in the header", Tokens.signRaw(RSA,
                    concat("{\"alg\":\"RS256\",\"kid\":\"k1\",\"x\":\"", bad, "\"}"), payload.getBytes(StandardCharsets.UTF_8)),
                    MALFORMED));
            cases.add(Arguments.of("invalid UTF-8 " + hex + " in the payload", Tokens.signRaw(RSA,
                    rsaHeader().getBytes(StandardCharsets.UTF_8), concat(payload.replace("\"user-1\"", "\""), bad, "\"")),
                    MALFORMED));
        }

        // strict JSON
        cases.add(Arguments.of("duplicate alg in the header",
                Tokens.signRaw(RSA, "{\"alg\":\"none\",\"kid\":\"k1\",\"alg\":\"RS256\"}", payload), MALFORMED));
        cases.add(Arguments.of("duplicate kid in the header",
                Tokens.signRaw(RSA, "{\"alg\":\"RS256\",\"kid\":\"k0\",\"kid\":\"k1\"}", payload), MALFORMED));
        cases.add(Arguments.of("duplicate sub in the payload",
                Tokens.signRaw(RSA, rsaHeader(), payload.replace("}", ",\"sub\":\"admin\"}")), MALFORMED));
        cases.add(Arguments.of("trailing data after the payload object",
                Tokens.signRaw(RSA, rsaHeader(), payload + "{}"), MALFORMED));
        cases.add(Arguments.of("payload that is an array", Tokens.signRaw(RSA, rsaHeader(), "[" + payload + "]"), MALFORMED));
        cases.add(Arguments.of("payload with a comment", Tokens.signRaw(RSA, rsaHeader(), payload.replace("{", "{/*x*/")),
                MALFORMED));

        // shapes
        String jwe = String.join(".", Tokens.b64("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}"), Tokens.b64("key"), Tokens.b64("iv"),
                Tokens.b64("ciphertext"), Tokens.b64("tag"));
        cases.add(Arguments.of("JWE-like five parts", jwe, MALFORMED));
        cases.add(Arguments.of("two parts", h + "." + p, MALFORMED));
        cases.add(Arguments.of("four parts", valid() + "." + validSignature, MALFORMED));

        // keys that do not fit the algorithm
        cases.add(Arguments.of("a JWK pinned to RS384 used with RS256",
                Tokens.mint(PINNED_RS384).now(CLOCK.instant()).sign(PINNED_RS384.pair().getPrivate(), "RS256"), UNKNOWN_KEY));
        cases.add(Arguments.of("a JWK with use=enc", Tokens.mint(ENC).now(CLOCK.instant()).sign(ENC.pair().getPrivate(), "RS256"),
                UNKNOWN_KEY));
        cases.add(Arguments.of("an EC P-256 key with a token claiming ES384", Tokens.signInput(EC.pair().getPrivate(), "ES384",
                Tokens.b64("{\"alg\":\"ES384\",\"kid\":\"e1\"}") + "." + Tokens.b64(payload)), UNKNOWN_KEY));
        cases.add(Arguments.of("an RSA key with a token claiming ES256", Tokens.signInput(EC.pair().getPrivate(), "ES256",
                Tokens.b64("{\"alg\":\"ES256\",\"kid\":\"k1\"}") + "." + Tokens.b64(payload)), UNKNOWN_KEY));
        return cases.stream();
    }

    private static String hex(int[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int b : bytes) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02X", b));
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void rejects(String name, String token, String description) {
        assertInvalid(authenticator.verify(token), description);
        // and again, whether it is answered from the negative cache or checked anew
        assertInvalid(authenticator.verify(token), description);
        // and in a request: the same answer, unless the characters cannot even be a bearer token
        AuthenticationResult viaHeader = JwtTesting.authenticate(authenticator, FakeRequest.get("/").bearer(token));
        if (B64TOKEN.matcher(token).matches()) {
            assertInvalid(viaHeader, description);
        } else {
            assertThat(viaHeader.problem().status()).isEqualTo(400);
            assertThat(viaHeader.problem().headers().get("WWW-Authenticate")).containsExactly("Bearer realm=\"svc\", "
                    + "error=\"invalid_request\", error_description=\"The Authorization header does not carry a well-formed bearer token\"");
        }
    }

    /** RFC 6750 §2.1 b64token. */
    static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

    @Test
    void noMutationOfAValidTokenPassesOrMakesTheAuthenticatorThrow() {
        Random random = new Random(7L);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ";
        List<String> seeds = List.of(valid(), Tokens.signRaw(EC, "{\"alg\":\"ES256\",\"kid\":\"e1\"}", payload()),
                Tokens.mint(PINNED_RS384).now(CLOCK.instant()).sign());
        List<String> headers = List.of("{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":[1,{}]}", "{\"alg\":\"ES512\",\"kid\":\"e1\"}",
                "{\"alg\":\"EdDSA\",\"kid\":\"k1\"}", "{\"alg\":\"PS256\",\"kid\":\"k384\"}", "{\"alg\":\"HS256\"}",
                "{\"alg\":\"RS256\",\"kid\":\"k1\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}",
                "{\"alg\":\"RS256\",\"kid\":\"k1\",\"n\":1" + "0".repeat(100) + "}", "{}", "{\"alg\":null}");
        int successes = 0;
        for (int i = 0; i < 3000; i++) {
            String seed = seeds.get(random.nextInt(seeds.size()));
            StringBuilder t = new StringBuilder(seed);
            switch (random.nextInt(4)) {
                case 0 -> t.setCharAt(random.nextInt(t.length()), alphabet.charAt(random.nextInt(alphabet.length())));
                case 1 -> t.insert(random.nextInt(t.length()), alphabet.charAt(random.nextInt(alphabet.length())));
                case 2 -> t.deleteCharAt(random.nextInt(t.length()));
                default -> {
                    List<String> parts = Tokens.parts(seed);
                    t = new StringBuilder(Tokens.b64(headers.get(random.nextInt(headers.size()))) + "." + parts.get(1) + "."
                            + parts.get(2));
                }
            }
            String token = t.toString();
            if (token.equals(seed)) {
                continue; // a character replaced by itself
            }
            AuthenticationResult r = authenticator.verify(token);
            AuthenticationResult viaHeader = JwtTesting.authenticate(authenticator, FakeRequest.get("/").bearer(token));
            if (r.isSuccess()) {
                successes++;
            } else {
                assertThat(r.problem().status()).as(token).isEqualTo(401);
                assertThat(viaHeader.isSuccess()).as(token).isFalse();
            }
        }
        assertThat(successes).isZero();
    }

    @Test
    void theSameClaimsValidlySignedPass() {
        // The control case: the fixtures above only differ from these by the hostile detail.
        assertThat(authenticator.verify(valid()).isSuccess()).isTrue();
        assertThat(authenticator.verify(Tokens.signRaw(RSA, rsaHeader(), payload())).isSuccess()).isTrue();
        assertThat(authenticator.verify(signedParts(Tokens.b64(rsaHeader()), Tokens.b64(payloadWithUnusedBits()))).isSuccess())
                .isTrue();
        assertThat(authenticator.verify(Tokens.signInput(EC.pair().getPrivate(), "ES256",
                Tokens.b64("{\"alg\":\"ES256\",\"kid\":\"e1\"}") + "." + Tokens.b64(payload()))).isSuccess()).isTrue();
        assertThat(authenticator.verify(Tokens.mint(PINNED_RS384).now(CLOCK.instant()).sign()).isSuccess()).isTrue();
    }

    @Test
    void anUnknownKidIsRefetchedOnceThenRejected() {
        TestKeys.SigningKey unknown = TestKeys.rsa("k-unknown");
        int before = server.requests();
        AuthenticationResult r = authenticator.verify(Tokens.mint(unknown).now(CLOCK.instant()).sign());
        assertInvalid(r, UNKNOWN_KEY);
        assertThat(server.requests()).isEqualTo(before + 1);
    }

    @Test
    void anOversizedTokenIsRejectedWithoutParsing() {
        String big = "x".repeat(8 * 1024 + 1);
        assertInvalid(authenticator.verify(big), "The access token is too large");
        String bigButSigned = Tokens.mint(RSA).now(CLOCK.instant()).claim("pad", "y".repeat(9000)).sign();
        assertInvalid(authenticator.verify(bigButSigned), "The access token is too large");
        String justFits = Tokens.mint(RSA).now(CLOCK.instant()).claim("pad", "y".repeat(5000)).sign();
        assertThat(justFits.length()).isLessThanOrEqualTo(8 * 1024);
        assertThat(authenticator.verify(justFits).isSuccess()).isTrue();
    }
}
