package io.aegis.gateway.testing;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.SecureDigestAlgorithm;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;

/**
 * Test fixture: mints signed tokens with JJWT, and hand-assembles hostile ones (unsigned,
 * re-encoded, tampered) that no library would produce.
 */
public final class Tokens {

    public static final String ISSUER = "https://issuer.test";
    public static final String AUDIENCE = "aegis-tests";

    private Tokens() {
    }

    /** A builder for a token with sensible claims: issuer, audience, subject, iat now, exp in 5 min. */
    public static Mint mint(TestKeys.SigningKey key) {
        return new Mint(key);
    }

    /** Builds a token by claims. */
    public static final class Mint {
        private final TestKeys.SigningKey key;
        private final Map<String, Object> claims = new LinkedHashMap<>();
        private final Map<String, Object> header = new LinkedHashMap<>();
        private Instant now = Instant.now();
        private boolean withKid = true;

        private Mint(TestKeys.SigningKey key) {
            this.key = key;
            claims.put("iss", ISSUER);
            claims.put("aud", AUDIENCE);
            claims.put("sub", "user-1");
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.plusSeconds(300).getEpochSecond());
        }

        public Mint now(Instant now) {
            this.now = now;
            claims.put("iat", now.getEpochSecond());
            claims.put("exp", now.plusSeconds(300).getEpochSecond());
            return this;
        }

        public Mint claim(String name, Object value) {
            if (value == null) {
                claims.remove(name);
            } else {
                claims.put(name, value);
            }
            return this;
        }

        public Mint scopes(String... scopes) {
            return claim("scope", String.join(" ", scopes));
        }

        public Mint header(String name, Object value) {
            header.put(name, value);
            return this;
        }

        public Mint noKid() {
            this.withKid = false;
            return this;
        }

        public String sign() {
            return sign(key.pair().getPrivate(), key.alg());
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        public String sign(Key signingKey, String alg) {
            JwtBuilder b = Jwts.builder();
            var h = b.header();
            if (withKid && key != null) {
                h.keyId(key.kid());
            }
            header.forEach(h::add);
            h.and();
            claims.forEach((k, v) -> {
                if (v instanceof Instant i) {
                    b.claim(k, Date.from(i));
                } else {
                    b.claim(k, v);
                }
            });
            SecureDigestAlgorithm algorithm = (SecureDigestAlgorithm) Jwts.SIG.get().get(alg);
            return b.signWith(signingKey, algorithm).compact();
        }

        /** Signs with an HMAC secret (for HS tokens and the classic RS/HS confusion attack). */
        public String signHmac(byte[] secret, String alg) {
            return sign(new SecretKeySpec(secret, "HmacSHA" + alg.substring(2)), alg);
        }

        public Map<String, Object> claims() {
            return claims;
        }
    }

    /**
     * Signs arbitrary header and payload bytes (hostile JSON, invalid UTF-8, duplicate members)
     * with the key's algorithm, so that a rejection can only come from the strict checks and never
     * from the signature.
     */
    public static String signRaw(TestKeys.SigningKey key, byte[] header, byte[] payload) {
        return signInput(key.pair().getPrivate(), key.alg(), b64(header) + "." + b64(payload));
    }

    /** {@link #signRaw(TestKeys.SigningKey, byte[], byte[])} of UTF-8 JSON texts. */
    public static String signRaw(TestKeys.SigningKey key, String headerJson, String payloadJson) {
        return signRaw(key, headerJson.getBytes(StandardCharsets.UTF_8), payloadJson.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Appends a valid signature to an already encoded signing input ({@code header.payload}, as
     * the characters will appear in the token, even if they are not canonical base64url).
     * Supports RS256/384/512, ES256/384/512 (with any curve, for mismatch tests) and EdDSA.
     */
    public static String signInput(PrivateKey key, String alg, String signingInput) {
        String jca = switch (alg) {
            case "RS256" -> "SHA256withRSA";
            case "RS384" -> "SHA384withRSA";
            case "RS512" -> "SHA512withRSA";
            case "ES256" -> "SHA256withECDSAinP1363Format";
            case "ES384" -> "SHA384withECDSAinP1363Format";
            case "ES512" -> "SHA512withECDSAinP1363Format";
            case "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("alg: " + alg + " (expected: RS*, ES* or EdDSA)");
        };
        try {
            Signature s = Signature.getInstance(jca);
            s.initSign(key);
            s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** base64url without padding. */
    public static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A token with {@code alg: none} (in the given spelling) and no signature. */
    public static String unsigned(String algSpelling, String payloadJson) {
        return b64("{\"alg\":\"" + algSpelling + "\",\"typ\":\"JWT\"}") + "." + b64(payloadJson) + ".";
    }

    /** Replaces the payload of a signed token, keeping header and signature. */
    public static String withPayload(String token, String payloadJson) {
        String[] p = token.split("\\.");
        return p[0] + "." + b64(payloadJson) + "." + p[2];
    }

    /** The three parts of a token. */
    public static List<String> parts(String token) {
        return List.of(token.split("\\.", -1));
    }

    /** The decoded payload JSON of a token. */
    public static String payload(String token) {
        return new String(Base64.getUrlDecoder().decode(parts(token).get(1)), StandardCharsets.UTF_8);
    }
}
