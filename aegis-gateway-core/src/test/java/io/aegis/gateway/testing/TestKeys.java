package io.aegis.gateway.testing;

import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Test fixture: signing key pairs with key ids, and their JWK Set / PEM forms. TEST KEYS ONLY,
 * generated fresh in memory; never used outside tests.
 */
public final class TestKeys {

    private TestKeys() {
    }

    /** A key pair with a key id and the JWS algorithm it signs with. */
    public record SigningKey(String kid, String alg, KeyPair pair) {
        public PublicKey publicKey() {
            return pair.getPublic();
        }

        /** The public JWK (with kid, alg and use=sig) as a JSON object. */
        public String publicJwk() {
            PublicJwk<?> jwk = Jwks.builder().key(pair.getPublic()).id(kid).algorithm(alg).publicKeyUse("sig").build();
            return Jwks.json(jwk);
        }

        /** The public JWK without {@code alg} (keys whose algorithm is not pinned). */
        public String publicJwkWithoutAlg() {
            PublicJwk<?> jwk = Jwks.builder().key(pair.getPublic()).id(kid).publicKeyUse("sig").build();
            return Jwks.json(jwk);
        }

        /** The public key as PEM {@code PUBLIC KEY}. */
        public String publicPem() {
            return "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(pair.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n";
        }
    }

    public static SigningKey rsa(String kid) {
        return rsa(kid, "RS256");
    }

    public static SigningKey rsa(String kid, String alg) {
        return new SigningKey(kid, alg, generate("RSA", 2048));
    }

    public static SigningKey ec(String kid, String alg) {
        String curve = switch (alg) {
            case "ES256" -> "secp256r1";
            case "ES384" -> "secp384r1";
            case "ES512" -> "secp521r1";
            default -> throw new IllegalArgumentException(alg);
        };
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return new SigningKey(kid, alg, g.generateKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static SigningKey ed25519(String kid) {
        try {
            return new SigningKey(kid, "EdDSA", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JWK Set JSON document of these keys' public halves. */
    public static String jwks(SigningKey... keys) {
        List<String> parts = new ArrayList<>();
        for (SigningKey k : keys) {
            parts.add(k.publicJwk());
        }
        return "{\"keys\":[" + String.join(",", parts) + "]}";
    }

    private static KeyPair generate(String alg, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
