package io.aegis.gateway.oauth;

import io.aegis.gateway.oauth.internal.OAuthHttp;
import io.aegis.gateway.oauth.internal.TokenParsing;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Access tokens for service-to-service calls by the OAuth 2.0 client-credentials grant
 * (RFC 6749 §4.4). The token is cached and refreshed {@code refreshBefore} (default 30 s, at most
 * half its lifetime) before it expires; while it is refreshed, concurrent callers wait for that
 * one request instead of sending their own (single flight). If a refresh fails while the cached
 * token is still valid, the cached token is answered and the next call tries again; if there is no
 * valid token, the failure is thrown as an {@link OAuthException} with the server's error code
 * ({@code invalid_client}, {@code invalid_scope}, ...).
 *
 * <p>Thread-safe.
 */
public final class ClientCredentialsTokenProvider implements AccessTokenProvider {

    private static final System.Logger LOG = System.getLogger(ClientCredentialsTokenProvider.class.getName());

    private final OAuthClientRegistration registration;
    private final HttpClient http;
    private final Clock clock;
    private final AtomicReference<AccessToken> current = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<AccessToken>> inFlight = new AtomicReference<>();
    private final LongAdder fetches = new LongAdder();
    private final AtomicReference<Instant> issuedAt = new AtomicReference<>();

    /** A provider with its own HTTP client and the system clock. */
    public ClientCredentialsTokenProvider(OAuthClientRegistration registration) {
        this(registration, OAuthHttp.client(registration.timeout()), Clock.systemUTC());
    }

    /**
     * @param http the HTTP client to use
     * @param clock decides when tokens are due for refresh
     */
    public ClientCredentialsTokenProvider(OAuthClientRegistration registration, HttpClient http, Clock clock) {
        this.registration = Objects.requireNonNull(registration, "registration");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (registration.clientSecret() == null) {
            throw new IllegalArgumentException("client " + registration.name()
                    + " has no secret (expected: a confidential client for the client-credentials grant)");
        }
    }

    public OAuthClientRegistration registration() {
        return registration;
    }

    @Override
    public AccessToken accessToken() {
        AccessToken t = current.get();
        Instant now = clock.instant();
        if (t != null && now.isBefore(refreshAt(t))) {
            return t;
        }
        if (t != null && now.isBefore(t.expiresAt())) {
            try {
                return fetchSingleFlight();
            } catch (OAuthException e) {
                LOG.log(System.Logger.Level.WARNING, "refreshing the token of client " + registration.name()
                        + " failed; the current token stays in use until " + t.expiresAt() + ": " + e.getMessage());
                return t;
            }
        }
        return fetchSingleFlight();
    }

    @Override
    public void invalidate() {
        current.set(null);
    }

    /** Tokens fetched from the authorization server so far. */
    public long fetches() {
        return fetches.sum();
    }

    /** The refresh point: {@code refreshBefore} ahead of expiry, but never in the first half of the lifetime. */
    private Instant refreshAt(AccessToken t) {
        Duration before = registration.refreshBefore();
        Instant issued = issuedAt.get();
        if (issued != null) {
            Duration half = Duration.between(issued, t.expiresAt()).dividedBy(2);
            if (before.compareTo(half) > 0) {
                before = half;
            }
        }
        return t.expiresAt().minus(before);
    }

    private AccessToken fetchSingleFlight() {
        CompletableFuture<AccessToken> mine = new CompletableFuture<>();
        CompletableFuture<AccessToken> running = inFlight.compareAndExchange(null, mine);
        if (running != null) {
            return await(running);
        }
        try {
            AccessToken cached = current.get();
            if (cached != null && clock.instant().isBefore(refreshAt(cached))) {
                mine.complete(cached); // another caller refreshed between our check and our turn
                return cached;
            }
            AccessToken fresh = fetch();
            current.set(fresh);
            mine.complete(fresh);
            return fresh;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.set(null);
        }
    }

    private AccessToken await(CompletableFuture<AccessToken> running) {
        try {
            return running.get(registration.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof OAuthException oe) {
                throw new OAuthException(oe.error(), oe.description(), oe.status(), oe);
            }
            throw new OAuthException("temporarily_unavailable", "token request failed: " + e.getCause(), 0, e);
        } catch (TimeoutException e) {
            throw new OAuthException("temporarily_unavailable", "no token within " + registration.timeout(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("temporarily_unavailable", "interrupted while waiting for a token", 0, e);
        }
    }

    private AccessToken fetch() {
        fetches.increment();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (!registration.scopes().isEmpty()) {
            form.put("scope", String.join(" ", registration.scopes()));
        }
        if (registration.audience() != null) {
            form.put("audience", registration.audience());
        }
        Instant now = clock.instant();
        OAuthHttp.Answer a = OAuthHttp.post(http, registration.tokenUri(), registration.authentication(),
                registration.clientId(), registration.clientSecret(), form, registration.timeout());
        OAuthHttp.requireSuccess(a, registration.tokenUri());
        AccessToken t = TokenParsing.parse(a.body(), now, registration.defaultLifetime(), registration.scopes()).accessToken();
        issuedAt.set(now);
        return t;
    }

    @Override
    public String toString() {
        return "ClientCredentialsTokenProvider[" + registration.name() + "]";
    }
}
