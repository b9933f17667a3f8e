package io.aegis.examples.users;

import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.policy.ServicePolicy;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Jwks;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A development token issuer: an ES256 key pair made at start-up (never persisted), and tokens
 * signed with it for the scopes and tier a developer asks for. The gateway trusts exactly this
 * key while the issuer is on. Only for the {@code dev} profile, and never when a real identity
 * provider (JWKS URI or key) is configured.
 */
public final class DevTokenIssuer {

    private final KeyPair keys;
    private final String kid = "dev-" + UUID.randomUUID().toString().substring(0, 8);
    private final String issuer;
    private final String audience;

    public DevTokenIssuer(String issuer, String audience) {
        this.issuer = issuer;
        this.audience = audience;
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

    /** The verification settings trusting this issuer's key. */
    public JwtSettings settings() {
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
        return b.signWith(keys.getPrivate(), Jwts.SIG.ES256).compact();
    }
}
