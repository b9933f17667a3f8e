package io.aegis.gateway.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.oauth.internal.OAuthHttp;
import io.aegis.gateway.oauth.internal.TokenParsing;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Browser logins by the OAuth 2.0 authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636,
 * {@code S256} only) and {@code state}:
 * <ol>
 *   <li>{@link #begin()} makes a fresh {@code state} and code verifier, remembers them, and answers
 *       the authorization URL to redirect the browser to;</li>
 *   <li>{@link #complete(Map)} takes the callback's query parameters, checks that the {@code state}
 *       is one it issued, unused and not older than 10 min (one use only), surfaces an
 *       {@code error} the server sent back, and exchanges the code (with the verifier) for tokens;</li>
 *   <li>{@link #refresh(String)} uses a refresh token.</li>
 * </ol>
 * Pending logins are kept in memory (at most 10,000; each for 10 min). With several replicas behind a
 * load balancer without session affinity, keep the {@link AuthorizationRequest} in the user's session
 * instead and call {@link #complete(AuthorizationRequest, Map)}.
 *
 * <p>Failures are {@link OAuthException}s: {@code invalid_state} for an unknown, reused or expired
 * state; the server's code ({@code access_denied}, {@code invalid_grant}, ...) otherwise. Thread-safe.
 */
public final class AuthorizationCodeFlow {

    /** How long a started login may take. */
    public static final Duration PENDING_TTL = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final OAuthClientRegistration registration;
    private final HttpClient http;
    private final Clock clock;
    private final Cache<String, AuthorizationRequest> pending;

    /** A flow with its own HTTP client and the system clock. */
    public AuthorizationCodeFlow(OAuthClientRegistration registration) {
        this(registration, OAuthHttp.client(registration.timeout()), Clock.systemUTC());
    }

    /**
     * @throws IllegalArgumentException when the registration has no authorization or redirect URI
     */
    public AuthorizationCodeFlow(OAuthClientRegistration registration, HttpClient http, Clock clock) {
        this.registration = Objects.requireNonNull(registration, "registration");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (registration.authorizationUri() == null || registration.redirectUri() == null) {
            throw new IllegalArgumentException("client " + registration.name()
                    + " (expected: an authorization URI and a redirect URI for the authorization code flow)");
        }
        this.pending = Caches.builder().maximumSize(10_000).expireAfterWrite(PENDING_TTL).build();
    }

    public OAuthClientRegistration registration() {
        return registration;
    }

    /** Starts a login with the registration's scopes. */
    public AuthorizationRequest begin() {
        return begin(registration.scopes(), Map.of());
    }

    /**
     * Starts a login.
     *
     * @param scopes the scopes to ask for
     * @param extra more query parameters ({@code prompt}, {@code login_hint}, ...); they cannot
     *     replace the protocol's own
     */
    public AuthorizationRequest begin(Set<String> scopes, Map<String, String> extra) {
        String state = random(32);
        String verifier = random(32); // 43 characters of base64url, within RFC 7636's 43..128
        Map<String, String> q = new LinkedHashMap<>(extra);
        q.put("response_type", "code");
        q.put("client_id", registration.clientId());
        q.put("redirect_uri", registration.redirectUri().toString());
        if (!scopes.isEmpty()) {
            q.put("scope", String.join(" ", scopes));
        }
        q.put("state", state);
        q.put("code_challenge", challenge(verifier));
        q.put("code_challenge_method", "S256");
        if (scopes.contains("openid") && !q.containsKey("nonce")) {
            q.put("nonce", random(16));
        }
        String base = registration.authorizationUri().toString();
        URI uri = URI.create(base + (base.contains("?") ? "&" : "?") + OAuthHttp.form(q));
        AuthorizationRequest r = new AuthorizationRequest(uri, state, verifier, registration.redirectUri(),
                new LinkedHashSet<>(scopes), clock.instant());
        pending.put(state, r);
        return r;
    }

    /**
     * Completes a login this flow started: checks {@code state} (one use), then exchanges the code.
     *
     * @param callback the query parameters of the redirect ({@code code}, {@code state}, or {@code error})
     * @throws OAuthException {@code invalid_state}, the server's error, or a failed exchange
     */
    public TokenResponse complete(Map<String, String> callback) {
        String state = callback.get("state");
        if (state == null || state.isEmpty()) {
            throw new OAuthException("invalid_state", "the callback carries no state", 0);
        }
        AuthorizationRequest r = pending.asMap().remove(state);
        if (r == null) {
            throw new OAuthException("invalid_state", "the state is unknown, already used or expired", 0);
        }
        return exchange(r, callback);
    }

    /**
     * Completes a login whose request the application kept itself (in its session).
     *
     * @throws OAuthException {@code invalid_state} when the callback's state is not the request's
     */
    public TokenResponse complete(AuthorizationRequest request, Map<String, String> callback) {
        String state = callback.get("state");
        if (state == null || !MessageDigest.isEqual(state.getBytes(StandardCharsets.UTF_8),
                request.state().getBytes(StandardCharsets.UTF_8))) {
            throw new OAuthException("invalid_state", "the callback's state does not match the login's", 0);
        }
        pending.invalidate(request.state());
        return exchange(request, callback);
    }

    private TokenResponse exchange(AuthorizationRequest r, Map<String, String> callback) {
        if (clock.instant().isAfter(r.createdAt().plus(PENDING_TTL))) {
            throw new OAuthException("invalid_state", "the login took longer than " + PENDING_TTL, 0);
        }
        String error = callback.get("error");
        if (error != null) {
            throw new OAuthException(error, callback.get("error_description"), 0);
        }
        String code = callback.get("code");
        if (code == null || code.isEmpty()) {
            throw new OAuthException("invalid_request", "the callback carries neither code nor error", 0);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", r.redirectUri().toString());
        form.put("code_verifier", r.codeVerifier());
        return token(form, r.scopes());
    }

    /**
     * Exchanges a refresh token for new tokens (the answer may carry a new refresh token: keep it).
     *
     * @throws OAuthException with the server's error code ({@code invalid_grant} when the refresh token is no longer valid)
     */
    public TokenResponse refresh(String refreshToken) {
        Objects.requireNonNull(refreshToken, "refreshToken");
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        return token(form, registration.scopes());
    }

    private TokenResponse token(Map<String, String> form, Set<String> scopes) {
        Instant now = clock.instant();
        OAuthHttp.Answer a = OAuthHttp.post(http, registration.tokenUri(), registration.authentication(),
                registration.clientId(), registration.clientSecret(), form, registration.timeout());
        OAuthHttp.requireSuccess(a, registration.tokenUri());
        return TokenParsing.parse(a.body(), now, registration.defaultLifetime(), scopes);
    }

    /** Logins started and not yet completed (or expired). */
    public long pendingLogins() {
        pending.cleanUp();
        return pending.estimatedSize();
    }

    /** The query parameters of a callback URI's raw query (first value of each name). */
    public static Map<String, String> queryParameters(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                out.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is ignored
            }
        }
        return out;
    }

    /** The S256 code challenge of a verifier: base64url(SHA-256(ASCII(verifier))), unpadded. */
    public static String challenge(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    @Override
    public String toString() {
        return "AuthorizationCodeFlow[" + registration.name() + "]";
    }
}
