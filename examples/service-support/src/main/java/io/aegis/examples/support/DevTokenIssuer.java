package io.aegis.examples.support;

import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.policy.ServicePolicy;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;

/**
 * A development token issuer. By default an ES256 key pair made at start-up (never persisted):
 * the gateway trusts exactly this key while the issuer is on. With a shared development secret
 * ({@code aegis.dev.token-issuer.shared-secret}, at least 32 bytes) it signs HS256 with that secret
 * instead, so several demo services started with the same secret, issuer and audience accept each
 * other's development tokens — which is how the recommendation-service can forward its caller's
 * token to the user-service and the policy-service in the demo ({@code scripts/demo.sh} makes a
 * random secret per run). Only for the {@code dev} profile, and never when a real identity
 * provider (JWKS URI or key) is configured.
 */
public final class DevTokenIssuer {

    private final KeyPair keys;
    private final byte[] sharedSecret;
    private final String kid = "dev-" + UUID.randomUUID().toString().substring(0, 8);
    private final String issuer;
    private final String audience;
    private final String defaultScope;

    /** An issuer with its own ES256 key. */
    public DevTokenIssuer(String issuer, String audience) {
        this(issuer, audience, null, "users:read");
    }

    /**
     * @param sharedSecret the HS256 secret shared by the demo services, or {@code null} for a key of
     *     this process alone
     * @param defaultScope the scope of tokens that ask for none
     * @throws IllegalArgumentException when the shared secret is shorter than 32 bytes
     */
    public DevTokenIssuer(String issuer, String audience, String sharedSecret, String defaultScope) {
        this.issuer = issuer;
        this.audience = audience;
        this.defaultScope = defaultScope;
        if (sharedSecret != null) {
            byte[] s = sharedSecret.getBytes(StandardCharsets.UTF_8);
            if (s.length < 32) {
                throw new IllegalArgumentException("aegis.dev.token-issuer.shared-secret: " + s.length
                        + " bytes (expected: at least 32)");
            }
            this.sharedSecret = s;
            this.keys = null;
            return;
        }
        this.sharedSecret = null;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            this.keys = g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create the development signing key", e);
        }
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    /** The scope of tokens that ask for none. */
    public String defaultScope() {
        return defaultScope;
    }

    /** {@code true} when tokens are signed with the shared development secret. */
    public boolean shared() {
        return sharedSecret != null;
    }

    /** The verification settings trusting this issuer's key. */
    public JwtSettings settings() {
        if (sharedSecret != null) {
            return JwtSettings.builder(JwtKeySource.secret(sharedSecret)).issuer(issuer).audiences(audience).build();
        }
        String jwks = "{\"keys\":[" + Jwks.json(Jwks.builder().key(keys.getPublic()).id(kid)
                .algorithm("ES256").publicKeyUse("sig").build()) + "]}";
        return JwtSettings.builder(JwtKeySource.jwksJson(jwks)).issuer(issuer).audiences(audience).build();
    }

    /** The policy with this issuer's settings, unless the policy already verifies tokens otherwise. */
    public ServicePolicy apply(ServicePolicy policy) {
        return policy.jwt() != null ? policy : policy.toBuilder().jwt(settings()).build();
    }

    /** Signs a token. */
    public String issue(String subject, Set<String> scopes, String tier, List<String> roles, String tenant, Duration ttl) {
        Instant now = Instant.now();
        var b = Jwts.builder()
                .header().keyId(kid).type("at+jwt").and()
                .issuer(issuer)
                .audience().add(audience).and()
                .subject(subject)
                .id(UUID.randomUUID().toString())
                .issuedAt(Date.from(now))
                .notBefore(Date.from(now))
                .expiration(Date.from(now.plus(ttl)))
                .claim("scope", String.join(" ", scopes))
                .claim("tier", tier);
        if (!roles.isEmpty()) {
            b.claim("roles", roles);
        }
        if (tenant != null) {
            b.claim("tenant", tenant);
        }
        if (sharedSecret != null) {
            javax.crypto.SecretKey k = new SecretKeySpec(sharedSecret, "HmacSHA256");
            return b.signWith(k, Jwts.SIG.HS256).compact();
        }
        return b.signWith(keys.getPrivate(), Jwts.SIG.ES256).compact();
    }
}
