package io.aegis.gateway.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Expiry;
import io.aegis.gateway.auth.BearerProblems;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.internal.Caches;
import io.aegis.gateway.oauth.internal.OAuthHttp;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Verifies opaque bearer tokens by RFC 7662 token introspection, for routes that accept
 * {@code OPAQUE_TOKEN}. The token is posted to the introspection endpoint with this resource
 * server's client credentials ({@code client_secret_basic} or {@code client_secret_post}); an
 * answer with {@code "active": true} becomes a principal (subject from {@code sub}, else
 * {@code username}, else {@code client_id}; scopes from {@code scope}; tenant and tier claims as
 * for JWTs), anything else is 401 {@code invalid_token} ({@code token-expired} when {@code exp}
 * has passed).
 *
 * <p>Answers are cached by a SHA-256 of the token (never the token itself): active ones until the
 * token's {@code exp} and at most {@code cacheMaxTtl}, inactive ones for {@code inactiveTtl}.
 * Concurrent requests with the same uncached token share one introspection call.
 *
 * <p>Fail closed: when the endpoint cannot be reached, times out, answers an error status or
 * something that is not an introspection answer, the request is answered 503
 * {@code dependency-unavailable} (with {@code Retry-After}) and an {@code auth.introspection.failed}
 * event is published; nothing is cached.
 *
 * <p>Thread-safe.
 */
public final class IntrospectionAuthenticator implements Authenticator {

    /** Event type: the introspection endpoint failed a call. */
    public static final String FAILED_EVENT = "auth.introspection.failed";

    private static final System.Logger LOG = System.getLogger(IntrospectionAuthenticator.class.getName());
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    private final IntrospectionSettings settings;
    private final HttpClient http;
    private final Clock clock;
    private final String realm;
    private final GatewayEvents events;
    private final Cache<String, Outcome> cache;
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> inFlight = new ConcurrentHashMap<>();
    private final LongCounter outcomes;

    /** A cached answer: the result and until when it may be used (epoch millis). */
    private record Outcome(AuthenticationResult result, long untilMillis, boolean cacheable) {
    }

    private IntrospectionAuthenticator(Builder b) {
        this.settings = b.settings;
        this.http = b.http != null ? b.http : OAuthHttp.client(settings.timeout());
        this.clock = b.clock;
        this.realm = b.realm;
        this.events = b.events;
        this.outcomes = b.openTelemetry.getMeter("io.aegis.gateway").counterBuilder("aegis.auth.introspection.calls")
                .setDescription("Token introspection calls (cache misses), by outcome").setUnit("{call}").build();
        this.cache = Caches.builder()
                .maximumSize(settings.cacheMaxEntries())
                .expireAfter(new Expiry<String, Outcome>() {
                    @Override
                    public long expireAfterCreate(String key, Outcome o, long currentTime) {
                        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, o.untilMillis - clock.millis()));
                    }

                    @Override
                    public long expireAfterUpdate(String key, Outcome o, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, o, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, Outcome o, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
    }

    public static Builder builder(IntrospectionSettings settings) {
        return new Builder(settings);
    }

    public IntrospectionSettings settings() {
        return settings;
    }

    @Override
    public AuthScheme scheme() {
        return AuthScheme.OPAQUE_TOKEN;
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
            return AuthenticationResult.abstain();
        }
        String token = h.substring(7).strip();
        if (token.length() > settings.maxTokenSize()) {
            return AuthenticationResult.failure(BearerProblems.invalidToken(realm, "The access token is too large"));
        }
        if (!isB64Token(token)) {
            return AuthenticationResult.failure(BearerProblems.invalidRequest(realm,
                    "The Authorization header does not carry a well-formed bearer token"));
        }
        return introspect(token);
    }

    /** Introspects a token (cached), without a request: the ext_authz sidecar, tests. */
    public AuthenticationResult introspect(String token) {
        Objects.requireNonNull(token, "token");
        String key = sha256(token);
        Outcome o = cache.getIfPresent(key);
        if (o != null && clock.millis() < o.untilMillis) {
            return recheck(o.result);
        }
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            Outcome shared = running.join();
            return recheck(shared.result);
        }
        Outcome fresh = new Outcome(AuthenticationResult.failure(unavailable()), 0, false);
        try {
            fresh = call(token);
            if (fresh.cacheable && settings.cacheMaxEntries() > 0) {
                cache.put(key, fresh);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "token introspection failed", e);
        } finally {
            inFlight.remove(key, mine);
            mine.complete(fresh); // waiters never hang, whatever happened
        }
        return fresh.result;
    }

    /** A cached success may have expired since (exp passed while cached): answer 401 then. */
    private AuthenticationResult recheck(AuthenticationResult r) {
        if (r.isSuccess() && r.principal().expiresAt() != null
                && clock.millis() >= r.principal().expiresAt().toEpochMilli() + settings.clockSkew().toMillis()) {
            return AuthenticationResult.failure(BearerProblems.expired(realm));
        }
        return r;
    }

    private Outcome call(String token) {
        OAuthHttp.Answer a;
        try {
            a = OAuthHttp.post(http, settings.endpoint(), settings.authentication(), settings.clientId(),
                    settings.clientSecret(), orderedForm(token), settings.timeout());
        } catch (OAuthException e) {
            return failed("unreachable", e.description());
        }
        if (a.status() != 200 || !a.json()) {
            if (a.status() == 401 || a.status() == 403) {
                LOG.log(System.Logger.Level.ERROR, "the introspection endpoint " + settings.endpoint()
                        + " refused this resource server's credentials (HTTP " + a.status() + "): check client id and secret");
            }
            return failed("status_" + a.status(), "HTTP " + a.status() + (a.json() ? "" : ", not JSON"));
        }
        Map<String, Object> body = a.body();
        Object active = body.get("active");
        if (!(active instanceof Boolean)) {
            return failed("invalid_response", "no boolean \"active\" member");
        }
        long now = clock.millis();
        long skew = settings.clockSkew().toMillis();
        if (!(Boolean) active) {
            return inactive(now, "The access token is not active");
        }
        Long exp = seconds(body.get("exp"));
        Long nbf = seconds(body.get("nbf"));
        if (exp != null && now >= exp * 1000 + skew) {
            count("expired");
            return new Outcome(AuthenticationResult.failure(BearerProblems.expired(realm)),
                    now + settings.inactiveTtl().toMillis(), true);
        }
        if (nbf != null && now + skew < nbf * 1000) {
            count("not_yet_valid");
            return new Outcome(AuthenticationResult.failure(BearerProblems.invalidToken(realm,
                    "The access token is not yet valid")), 0, false);
        }
        if (settings.issuer() != null && !settings.issuer().equals(body.get("iss"))) {
            return inactive(now, "The access token issuer is not accepted");
        }
        if (!settings.audiences().isEmpty() && !audienceMatches(body.get("aud"))) {
            return inactive(now, "The access token audience is not accepted");
        }
        String subject = firstString(body, "sub", "username", "client_id");
        if (subject == null) {
            return inactive(now, "The access token has no subject");
        }
        Set<String> scopes = new LinkedHashSet<>();
        if (body.get("scope") instanceof String s && !s.isBlank()) {
            scopes.addAll(Arrays.asList(s.trim().split(" +")));
        }
        Object tenant = body.get(settings.tenantClaim());
        Object tier = body.get(settings.tierClaim());
        Principal.Builder p = Principal.builder(subject, AuthScheme.OPAQUE_TOKEN)
                .scopes(scopes)
                .tenant(tenant instanceof String t && !t.isBlank() ? t : null)
                .tier(Tier.parseOr(tier instanceof String t ? t : null, Tier.FREE))
                .expiresAt(exp == null ? null : Instant.ofEpochSecond(exp))
                .credentialId(body.get("jti") instanceof String jti ? jti : "tok-" + sha256(token).substring(0, 16));
        body.forEach((k, v) -> {
            if (!"active".equals(k)) {
                p.claim(k, v);
            }
        });
        long until = now + settings.cacheMaxTtl().toMillis();
        if (exp != null) {
            until = Math.min(until, exp * 1000 + skew);
        }
        count("active");
        return new Outcome(AuthenticationResult.success(p.build()), until, true);
    }

    private Outcome inactive(long now, String description) {
        count("inactive");
        return new Outcome(AuthenticationResult.failure(BearerProblems.invalidToken(realm, description)),
                now + settings.inactiveTtl().toMillis(), true);
    }

    private Outcome failed(String outcome, String reason) {
        count(outcome);
        LOG.log(System.Logger.Level.WARNING, "token introspection at " + settings.endpoint() + " failed: " + reason);
        events.publish(GatewayEvent.of(FAILED_EVENT, "endpoint", settings.endpoint().toString(), "reason", reason));
        return new Outcome(AuthenticationResult.failure(unavailable()), 0, false);
    }

    private static Problem unavailable() {
        return Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                .detail("The access token cannot be verified right now; retry shortly.")
                .header("Retry-After", "5")
                .build();
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

    private static String firstString(Map<String, Object> body, String... names) {
        for (String n : names) {
            if (body.get(n) instanceof String s && !s.isBlank()) {
                return s;
            }
        }
        return null;
    }

    private static Long seconds(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            long s = ((Number) v).longValue();
            return s < 0 || s > Long.MAX_VALUE / 2000 ? null : s;
        }
        if (v instanceof Double d && d > 0 && d < 1e13) {
            return d.longValue();
        }
        return null;
    }

    private void count(String outcome) {
        outcomes.add(1, Attributes.of(OUTCOME, outcome));
    }

    private static boolean isB64Token(String t) {
        int n = t.length();
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

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "IntrospectionAuthenticator[" + settings.endpoint() + "]";
    }

    /** Builds an {@link IntrospectionAuthenticator}. Not thread-safe. */
    public static final class Builder {
        private final IntrospectionSettings settings;
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private String realm = "aegis";
        private GatewayEvents events = GatewayEvents.none();
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();

        private Builder(IntrospectionSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
        }

        /** The HTTP client (default: one with the settings' connect timeout, no redirects). */
        public Builder httpClient(HttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder realm(String realm) {
            this.realm = Objects.requireNonNull(realm, "realm");
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

        public IntrospectionAuthenticator build() {
            return new IntrospectionAuthenticator(this);
        }
    }

    /** The introspection form, in the order RFC 7662 lists its parameters. */
    private static Map<String, String> orderedForm(String token) {
        Map<String, String> form = new java.util.LinkedHashMap<>();
        form.put("token", token);
        form.put("token_type_hint", "access_token");
        return form;
    }
}
