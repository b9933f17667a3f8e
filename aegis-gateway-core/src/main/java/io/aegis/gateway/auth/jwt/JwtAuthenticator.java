package io.aegis.gateway.auth.jwt;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import io.aegis.gateway.auth.BearerProblems;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.jwt.internal.JwksKeyProvider;
import io.aegis.gateway.auth.jwt.internal.KeyLoader;
import io.aegis.gateway.auth.jwt.internal.KeyProvider;
import io.aegis.gateway.auth.jwt.internal.StaticKeyProvider;
import io.aegis.gateway.auth.jwt.internal.StrictJws;
import io.aegis.gateway.auth.jwt.internal.VerificationKey;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SignatureException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.Meter;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies JWT bearer tokens ({@code Authorization: Bearer}) and maps their claims to a
 * {@link Principal}.
 *
 * <p>Before JJWT checks the signature, the token is parsed strictly (canonical unpadded
 * base64url, valid UTF-8, JSON without duplicate members) and its header is checked: the
 * algorithm must be on the allow-list ({@code none} never is), and keys are never taken from the
 * token ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c} are refused, as are {@code crit},
 * {@code zip} and {@code b64}). The key must fit the algorithm (type, curve, the JWK's own
 * {@code alg}), so an HMAC check with a public key cannot happen. After the signature:
 * {@code exp} (required by default), {@code nbf}, {@code iat} with clock skew, {@code iss},
 * {@code aud}, {@code typ} and {@code sub}.
 *
 * <p>Verified tokens are cached (keyed by a hash of the signature, confirmed by comparing the
 * whole token) until they expire; tokens that failed for a lasting reason are remembered for a
 * minute, so replaying a forged token costs no signature check. Thread-safe; {@link #close()}
 * stops the JWKS refresh.
 */
public final class JwtAuthenticator implements Authenticator, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(JwtAuthenticator.class.getName());
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jwk", "jku", "x5u", "x5c", "crit", "zip", "b64");
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");
    private static final long NEGATIVE_TTL_SECONDS = 60;
    private static final int HASHED_CHARS = 32;

    private final JwtSettings settings;
    private final String realm;
    private final Clock clock;
    private final KeyProvider keys;
    private final Cache<Long, Verified> verified;
    private final Cache<Long, Rejected> rejected;
    private final long seed = new SecureRandom().nextLong();
    private final long skewMillis;
    private final LongCounter verifications;

    private JwtAuthenticator(Builder b) {
        this.settings = b.settings;
        this.realm = b.realm;
        this.clock = b.clock;
        this.skewMillis = settings.clockSkew().toMillis();
        Meter meter = b.openTelemetry.getMeter("io.aegis.gateway");
        this.verifications = meter.counterBuilder("aegis.auth.jwt.verifications")
                .setDescription("JWT signature verifications (cache misses), by outcome")
                .setUnit("{verification}")
                .build();
        this.keys = keyProvider(b, meter);
        this.verified = Caches.builder()
                .maximumSize(settings.cacheMaxEntries())
                .expireAfter(new Expiry<Long, Verified>() {
                    @Override
                    public long expireAfterCreate(Long key, Verified v, long currentTime) {
                        long ttl = Math.min(v.expMillis + skewMillis - clock.millis(), settings.cacheMaxTtl().toMillis());
                        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, ttl));
                    }

                    @Override
                    public long expireAfterUpdate(Long key, Verified v, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, v, currentTime);
                    }

                    @Override
                    public long expireAfterRead(Long key, Verified v, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
        this.rejected = Caches.builder()
                .maximumSize(Math.max(1, settings.cacheMaxEntries()))
                .expireAfterWrite(NEGATIVE_TTL_SECONDS, TimeUnit.SECONDS)
                .build();
        keys.onKeysRemoved(() -> {
            LOG.log(System.Logger.Level.INFO, "a signing key was removed from the key set; verified-token cache cleared");
            verified.invalidateAll();
        });
        if (settings.issuer() == null) {
            LOG.log(System.Logger.Level.WARNING, "JWT issuer is not configured: tokens of any issuer signed by "
                    + "the configured keys are accepted (set aegis.auth.jwt.issuer)");
        }
    }

    private KeyProvider keyProvider(Builder b, Meter meter) {
        JwtKeySource src = settings.keySource();
        return switch (src.kind()) {
            case JWKS_URI -> {
                LongCounter fetches = meter.counterBuilder("aegis.auth.jwks.fetches")
                        .setDescription("JWKS fetches, by outcome").setUnit("{fetch}").build();
                GatewayEvents events = b.events;
                yield new JwksKeyProvider(src.uri(), settings.jwksRefreshInterval(), settings.jwksMinRefetchInterval(),
                        settings.jwksTimeout(), clock, new JwksKeyProvider.Observer() {
                            @Override
                            public void fetched(URI uri, int keyCount) {
                                fetches.add(1, Attributes.of(OUTCOME, "success"));
                            }

                            @Override
                            public void failed(URI uri, String reason, boolean stale, boolean changed) {
                                fetches.add(1, Attributes.of(OUTCOME, stale ? "failure_stale" : "failure_empty"));
                                if (changed) { // one event per outage, not one per failed fetch
                                    events.publish(GatewayEvent.of(GatewayEvent.JWKS_STALE, "uri", uri.toString(),
                                            "reason", reason, "serving_last_good", stale));
                                }
                            }

                            @Override
                            public void recovered(URI uri) {
                                events.publish(GatewayEvent.of(GatewayEvent.JWKS_RECOVERED, "uri", uri.toString()));
                            }
                        });
            }
            case JWKS_JSON -> new StaticKeyProvider(KeyLoader.fromJwks(src.text(), false));
            case PEM -> new StaticKeyProvider(KeyLoader.fromPem(src.text()));
            // One key per accepted HMAC algorithm, each pinned to it, so the JCA name fits.
            case SECRET -> new StaticKeyProvider(settings.algorithms().stream().sorted()
                    .map(alg -> new VerificationKey(null, alg,
                            new SecretKeySpec(src.secret(), "HmacSHA" + alg.substring(2)), true))
                    .toList());
        };
    }

    /** Starts an authenticator for these settings. */
    public static Builder builder(JwtSettings settings) {
        return new Builder(settings);
    }

    public JwtSettings settings() {
        return settings;
    }

    /** The realm named in this authenticator's challenges (the service name). */
    public String realm() {
        return realm;
    }

    /** {@code true} once verification keys are available. */
    public boolean ready() {
        return keys.ready();
    }

    @Override
    public AuthScheme scheme() {
        return AuthScheme.JWT;
    }

    @Override
    public AuthenticationResult authenticate(Exchange exchange) {
        List<String> values = exchange.request().headers("Authorization");
        if (values.isEmpty()) {
            return AuthenticationResult.abstain();
        }
        if (values.size() > 1) {
            return AuthenticationResult.failure(BearerProblems.invalidRequest(realm,
                    "The request has more than one Authorization header"));
        }
        String h = values.get(0);
        if (h.length() < 7 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return AuthenticationResult.abstain(); // another scheme (Basic, ApiKey, ...)
        }
        int start = 7;
        while (start < h.length() && h.charAt(start) == ' ') {
            start++;
        }
        int end = h.length();
        while (end > start && h.charAt(end - 1) == ' ') {
            end--;
        }
        if (end - start > settings.maxTokenSize()) {
            return AuthenticationResult.failure(BearerProblems.invalidToken(realm, "The access token is too large"));
        }
        String token = h.substring(start, end);
        AuthenticationResult known = cached(token, false);
        if (known != null) {
            return known; // this very token was verified before, so it is a well-formed JWS
        }
        if (!isB64Token(token)) {
            return AuthenticationResult.failure(BearerProblems.invalidRequest(realm,
                    "The Authorization header does not carry a well-formed bearer token"));
        }
        if (!looksLikeJws(token) && exchange.route() != null
                && exchange.route().authSchemes().contains(AuthScheme.OPAQUE_TOKEN)) {
            return AuthenticationResult.abstain(); // an opaque token: introspection decides
        }
        return verify(token);
    }

    /**
     * Verifies a token and maps it to a principal. Usable without a request (the ext_authz
     * sidecar, tests).
     */
    public AuthenticationResult verify(String token) {
        Objects.requireNonNull(token, "token");
        if (token.length() > settings.maxTokenSize()) {
            return AuthenticationResult.failure(BearerProblems.invalidToken(realm, "The access token is too large"));
        }
        AuthenticationResult known = cached(token, true);
        return known != null ? known : verifyUncached(token, hash(token));
    }

    /**
     * The answer remembered for this exact token: verified and still in its time window, or, with
     * {@code refusals}, refused; else {@code null}.
     */
    private AuthenticationResult cached(String token, boolean refusals) {
        long key = hash(token);
        Verified v = verified.getIfPresent(key);
        if (v != null && v.token.equals(token)) {
            long now = clock.millis();
            if (now < v.expMillis + skewMillis && now + skewMillis >= v.nbfMillis) {
                return v.result;
            }
            verified.invalidate(key);
        }
        if (!refusals) {
            return null;
        }
        Rejected r = rejected.getIfPresent(key);
        if (r != null && r.token.equals(token)) {
            return r.result;
        }
        return null;
    }

    private AuthenticationResult verifyUncached(String token, long cacheKey) {
        StrictJws jws;
        try {
            jws = StrictJws.parse(token);
        } catch (StrictJws.Malformed e) {
            LOG.log(System.Logger.Level.DEBUG, "malformed token: " + e.getMessage());
            return remember(cacheKey, token, invalid("The access token is malformed"), "malformed");
        }
        String alg = jws.algorithm();
        if (alg == null || !settings.algorithms().contains(alg)) {
            return remember(cacheKey, token, invalid("The access token algorithm is not accepted"), "algorithm");
        }
        for (String name : jws.header().keySet()) {
            if (FORBIDDEN_HEADERS.contains(name)) {
                return remember(cacheKey, token, invalid("The access token header is not accepted"), "header");
            }
        }
        if (jws.header().containsKey("kid") && jws.keyId() == null) {
            return remember(cacheKey, token, invalid("The access token is malformed"), "malformed");
        }
        if (settings.requiredType() != null && !typeMatches(jws.header().get("typ"), settings.requiredType())) {
            return remember(cacheKey, token, invalid("The access token type is not accepted"), "type");
        }
        List<VerificationKey> candidates;
        try {
            candidates = keys.candidates(alg, jws.keyId());
        } catch (KeyProvider.KeysUnavailable e) {
            verifications.add(1, Attributes.of(OUTCOME, "keys_unavailable"));
            return AuthenticationResult.failure(Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                    .detail("Token signing keys are not available yet; retry shortly.")
                    .header("Retry-After", "5")
                    .build());
        }
        if (candidates.isEmpty()) {
            verifications.add(1, Attributes.of(OUTCOME, "unknown_key"));
            // Not remembered: the key may appear at the next refresh.
            return AuthenticationResult.failure(invalid(jws.keyId() != null
                    ? "The access token signing key is unknown" : "No key accepts the access token algorithm"));
        }
        boolean signatureOk = false;
        for (VerificationKey k : candidates) {
            try {
                k.parser(clock, settings.clockSkew()).parseSignedClaims(token);
                signatureOk = true;
                break;
            } catch (ExpiredJwtException e) {
                return remember(cacheKey, token, BearerProblems.expired(realm), "expired");
            } catch (PrematureJwtException e) {
                verifications.add(1, Attributes.of(OUTCOME, "not_yet_valid"));
                return AuthenticationResult.failure(invalid("The access token is not yet valid"));
            } catch (SignatureException e) {
                // try the next candidate
            } catch (JwtException | IllegalArgumentException e) {
                LOG.log(System.Logger.Level.DEBUG, "token rejected by JJWT: " + e.getClass().getSimpleName());
                return remember(cacheKey, token, invalid("The access token is invalid"), "invalid");
            }
        }
        if (!signatureOk) {
            return remember(cacheKey, token, invalid("The access token signature is invalid"), "signature");
        }
        return checkClaims(jws, token, cacheKey);
    }

    private AuthenticationResult checkClaims(StrictJws jws, String token, long cacheKey) {
        Map<String, Object> c = jws.claims();
        long now = clock.millis();
        Long exp = numericDate(c, "exp");
        Long nbf = numericDate(c, "nbf");
        Long iat = numericDate(c, "iat");
        if (exp == null && c.containsKey("exp") || nbf == null && c.containsKey("nbf")
                || iat == null && c.containsKey("iat")) {
            return remember(cacheKey, token, invalid("The access token has a malformed date"), "claims");
        }
        if (exp == null && settings.requireExpiration()) {
            return remember(cacheKey, token, invalid("The access token has no expiry"), "claims");
        }
        if (exp != null && now >= exp + skewMillis) {
            return remember(cacheKey, token, BearerProblems.expired(realm), "expired");
        }
        if (nbf != null && now + skewMillis < nbf) {
            verifications.add(1, Attributes.of(OUTCOME, "not_yet_valid"));
            return AuthenticationResult.failure(invalid("The access token is not yet valid"));
        }
        if (iat != null && iat > now + skewMillis) {
            verifications.add(1, Attributes.of(OUTCOME, "issued_in_future"));
            return AuthenticationResult.failure(invalid("The access token was issued in the future"));
        }
        if (settings.issuer() != null && !settings.issuer().equals(c.get("iss"))) {
            return remember(cacheKey, token, invalid("The access token issuer is not accepted"), "issuer");
        }
        if (!settings.audiences().isEmpty() && !audienceMatches(c.get("aud"))) {
            return remember(cacheKey, token, invalid("The access token audience is not accepted"), "audience");
        }
        if (!(c.get("sub") instanceof String sub) || sub.isBlank()) {
            return remember(cacheKey, token, invalid("The access token has no subject"), "claims");
        }
        Principal principal = principal(sub, c, exp);
        AuthenticationResult result = AuthenticationResult.success(principal);
        verifications.add(1, Attributes.of(OUTCOME, "success"));
        if (settings.cacheMaxEntries() > 0) {
            verified.put(cacheKey, new Verified(token, result,
                    exp == null ? Long.MAX_VALUE - skewMillis : exp, nbf == null ? Long.MIN_VALUE + skewMillis : nbf));
        }
        return result;
    }

    private Principal principal(String sub, Map<String, Object> c, Long exp) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : settings.scopeClaims()) {
            addStrings(scopes, c.get(claim), true);
        }
        Set<String> roles = new LinkedHashSet<>();
        for (String path : settings.roleClaims()) {
            addStrings(roles, claimAt(c, path), false);
        }
        Object tenant = c.get(settings.tenantClaim());
        Object tier = c.get(settings.tierClaim());
        Principal.Builder b = Principal.builder(sub, AuthScheme.JWT)
                .scopes(scopes)
                .roles(roles)
                .tenant(tenant instanceof String t && !t.isBlank() ? t : null)
                .tier(Tier.parseOr(tier instanceof String t ? t : null, Tier.FREE))
                .expiresAt(exp == null ? null : Instant.ofEpochMilli(exp))
                .credentialId(c.get("jti") instanceof String jti ? jti : null);
        c.forEach(b::claim);
        return b.build();
    }

    private static Object claimAt(Map<String, Object> claims, String path) {
        Object cur = claims;
        for (String part : path.split("\\.")) {
            if (!(cur instanceof Map<?, ?> m)) {
                return null;
            }
            cur = m.get(part);
        }
        return cur;
    }

    private static void addStrings(Set<String> out, Object value, boolean splitSpaces) {
        if (value instanceof String s) {
            if (splitSpaces) {
                for (String part : s.trim().split(" +")) {
                    if (!part.isEmpty()) {
                        out.add(part);
                    }
                }
            } else if (!s.isBlank()) {
                out.add(s);
            }
        } else if (value instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof String s && !s.isBlank()) {
                    out.add(s);
                }
            }
        }
    }

    private boolean audienceMatches(Object aud) {
        if (aud instanceof String s) {
            return settings.audiences().contains(s);
        }
        if (aud instanceof Collection<?> list) {
            for (Object o : list) {
                if (o instanceof String s && settings.audiences().contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A NumericDate claim in epoch millis; {@code null} when absent or not a number. */
    private static Long numericDate(Map<String, Object> c, String name) {
        Object v = c.get(name);
        if (v instanceof Integer || v instanceof Long) {
            long s = ((Number) v).longValue();
            return s > Long.MAX_VALUE / 2000 || s < Long.MIN_VALUE / 2000 ? null : s * 1000;
        }
        if (v instanceof Double d && !d.isNaN() && !d.isInfinite() && Math.abs(d) < 1e15) {
            return (long) (d * 1000);
        }
        return null;
    }

    private static boolean typeMatches(Object typ, String required) {
        if (!(typ instanceof String t)) {
            return false;
        }
        String a = t.toLowerCase(Locale.ROOT);
        String b = required.toLowerCase(Locale.ROOT);
        if (a.startsWith("application/")) {
            a = a.substring("application/".length());
        }
        if (b.startsWith("application/")) {
            b = b.substring("application/".length());
        }
        return a.equals(b);
    }

    private Problem invalid(String description) {
        return BearerProblems.invalidToken(realm, description);
    }

    private AuthenticationResult remember(long cacheKey, String token, Problem problem, String outcome) {
        verifications.add(1, Attributes.of(OUTCOME, outcome));
        AuthenticationResult r = AuthenticationResult.failure(problem);
        rejected.put(cacheKey, new Rejected(token, r));
        return r;
    }

    /** RFC 6750 b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static boolean isB64Token(String t) {
        int n = t.length();
        if (n == 0) {
            return false;
        }
        int i = 0;
        for (; i < n; i++) {
            char c = t.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/')) {
                break;
            }
        }
        if (i == 0) {
            return false;
        }
        for (; i < n; i++) {
            if (t.charAt(i) != '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean looksLikeJws(String t) {
        int first = t.indexOf('.');
        return first > 0 && t.indexOf('.', first + 1) > first;
    }

    /** A seeded 64-bit hash of the last characters of the token (its signature). */
    private long hash(String token) {
        int n = token.length();
        long h = seed ^ n;
        for (int i = Math.max(0, n - HASHED_CHARS); i < n; i++) {
            h = (h ^ token.charAt(i)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    @Override
    public void close() {
        keys.close();
    }

    @Override
    public String toString() {
        return "JwtAuthenticator[" + settings + "]";
    }

    private record Verified(String token, AuthenticationResult result, long expMillis, long nbfMillis) {
    }

    private record Rejected(String token, AuthenticationResult result) {
    }

    /** Builds a {@link JwtAuthenticator}. */
    public static final class Builder {
        private final JwtSettings settings;
        private String realm = "aegis";
        private Clock clock = Clock.systemUTC();
        private GatewayEvents events = GatewayEvents.none();
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();

        private Builder(JwtSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** The realm named in challenges (default {@code aegis}; the gateway sets the service name). */
        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder events(GatewayEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
            return this;
        }

        /**
         * @throws IllegalArgumentException when a static key source holds no usable key
         */
        public JwtAuthenticator build() {
            return new JwtAuthenticator(this);
        }
    }
}
