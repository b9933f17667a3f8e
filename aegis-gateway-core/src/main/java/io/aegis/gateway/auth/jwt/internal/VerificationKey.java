package io.aegis.gateway.auth.jwt.internal;

import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import java.security.Key;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.Objects;
import java.util.Set;
import javax.crypto.SecretKey;

/**
 * One key that may verify tokens, with the constraints it came with: its {@code kid}, the
 * {@code alg} its JWK pins (RFC 7517 §4.4), and whether its {@code use}/{@code key_ops} allow
 * signature verification. {@link #accepts(String)} enforces that the token's algorithm fits the
 * key's type, curve and pinned algorithm, which JJWT does not do for the JWK {@code alg}.
 */
public final class VerificationKey {

    private final String kid;
    private final String pinnedAlg;
    private final Key key;
    private final boolean usableForSignatures;
    private volatile JwtParser parser;

    public VerificationKey(String kid, String pinnedAlg, Key key, boolean usableForSignatures) {
        this.kid = kid;
        this.pinnedAlg = pinnedAlg;
        this.key = Objects.requireNonNull(key, "key");
        this.usableForSignatures = usableForSignatures;
    }

    public String kid() {
        return kid;
    }

    public String pinnedAlg() {
        return pinnedAlg;
    }

    public Key key() {
        return key;
    }

    /** The JWS algorithms this key can verify by its type (before any pin). */
    public Set<String> familyAlgorithms() {
        if (key instanceof RSAPublicKey) {
            return Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512");
        }
        if (key instanceof ECPublicKey ec) {
            return switch (ec.getParams().getCurve().getField().getFieldSize()) {
                case 256 -> Set.of("ES256");
                case 384 -> Set.of("ES384");
                case 521 -> Set.of("ES512");
                default -> Set.of();
            };
        }
        if (key instanceof EdECPublicKey || key instanceof PublicKey pk && "EdDSA".equals(pk.getAlgorithm())) {
            return Set.of("EdDSA");
        }
        if (key instanceof SecretKey sk) {
            int bits = sk.getEncoded() == null ? 0 : sk.getEncoded().length * 8;
            if (bits >= 512) {
                return Set.of("HS256", "HS384", "HS512");
            }
            if (bits >= 384) {
                return Set.of("HS256", "HS384");
            }
            if (bits >= 256) {
                return Set.of("HS256");
            }
        }
        return Set.of();
    }

    /** {@code true} when a token signed with {@code alg} may be verified with this key. */
    public boolean accepts(String alg) {
        if (!usableForSignatures) {
            return false;
        }
        if (pinnedAlg != null && !pinnedAlg.equals(alg)) {
            return false;
        }
        return familyAlgorithms().contains(alg);
    }

    /** A JJWT parser bound to this key, built once. */
    public JwtParser parser(Clock clock, Duration skew) {
        JwtParser p = parser;
        if (p == null) {
            var b = Jwts.parser()
                    .clock(() -> Date.from(clock.instant()))
                    .clockSkewSeconds(skew.toSeconds());
            if (key instanceof SecretKey sk) {
                b.verifyWith(sk);
            } else {
                b.verifyWith((PublicKey) key);
            }
            p = b.build();
            parser = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "VerificationKey[" + (kid == null ? "(no kid)" : kid) + ", " + key.getAlgorithm()
                + (pinnedAlg == null ? "" : ", alg " + pinnedAlg) + "]";
    }
}
