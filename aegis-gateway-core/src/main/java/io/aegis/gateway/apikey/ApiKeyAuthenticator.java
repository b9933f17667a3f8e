package io.aegis.gateway.apikey;

import io.aegis.gateway.apikey.internal.AbuseGuard;
import io.aegis.gateway.apikey.internal.KeyCache;
import io.aegis.gateway.apikey.spi.ApiKeyStore;
import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.apikey.spi.StoredApiKey;
import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.auth.spi.AuthenticationResult;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.AuthScheme;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.LongCounter;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates requests by API key ({@code X-API-Key} by default): abstains without the header;
 * otherwise refuses a client address that is blocked for failed keys (429), parses the key
 * strictly (format, environment, checksum: no lookup for a malformed key), looks its HMAC up in
 * the cache and then the store, and checks its state at the current time (expired, revoked, or
 * rotated with the grace period over: 401). A valid key becomes a principal whose subject is the
 * key's owner, with its scopes, tenant and tier, and the key id as {@link Principal#credentialId()}.
 *
 * <p>When the store cannot answer and the key is not cached, the request is answered 503
 * (fail closed). Every failed key counts against the client address.
 *
 * <p>Thread-safe. Built by {@link ApiKeys}.
 */
public final class ApiKeyAuthenticator implements Authenticator {

    private static final System.Logger LOG = System.getLogger(ApiKeyAuthenticator.class.getName());
    private static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("outcome");

    private final ApiKeySettings settings;
    private final ApiKeyStore store;
    private final ApiKeyHasher hasher;
    private final KeyCache<Principal> cache;
    private final AbuseGuard abuse;
    private final Clock clock;
    private final String realm;
    private final LongCounter outcomes;

    ApiKeyAuthenticator(ApiKeySettings settings, ApiKeyStore store, ApiKeyHasher hasher, KeyCache<Principal> cache,
                        AbuseGuard abuse, Clock clock, String realm, LongCounter outcomes) {
        this.settings = settings;
        this.store = store;
        this.hasher = hasher;
        this.cache = cache;
        this.abuse = abuse;
        this.clock = clock;
        this.realm = realm;
        this.outcomes = outcomes;
    }

    @Override
    public AuthScheme scheme() {
        return AuthScheme.API_KEY;
    }

    /** The header read. */
    public String header() {
        return settings.header();
    }

    @Override
    public AuthenticationResult authenticate(Exchange exchange) {
        List<String> values = exchange.request().headers(settings.header());
        if (values.isEmpty()) {
            return AuthenticationResult.abstain();
        }
        String client = exchange.clientAddress();
        long blockedMillis = abuse.blockedFor(client);
        if (blockedMillis > 0) {
            count("blocked");
            return AuthenticationResult.failure(ApiKeyProblems.blocked((blockedMillis + 999) / 1000));
        }
        if (values.size() > 1) {
            return fail(client, "repeated", ApiKeyProblems.repeated(settings.header()));
        }
        ApiKeyFormat.Parsed parsed = ApiKeyFormat.parse(values.get(0));
        if (!parsed.ok()) {
            return fail(client, parsed.failure().name().toLowerCase(java.util.Locale.ROOT),
                    invalid(parsed.failure().description()));
        }
        if (parsed.environment() != settings.environment()) {
            return fail(client, "environment", invalid("The API key belongs to the " + parsed.environment().id()
                    + " environment, not " + settings.environment().id()));
        }
        byte[] hash = hasher.hash(parsed.key());
        String hex = HexFormat.of().formatHex(hash);
        KeyCache.Entry<Principal> entry = cache.get(hex);
        if (entry == null) {
            if (cache.knownUnknown(hex)) {
                return fail(client, "unknown", invalid("The API key is not known"));
            }
            Optional<StoredApiKey> found;
            try {
                found = store.findByHash(hash);
            } catch (ApiKeyStoreException e) {
                LOG.log(System.Logger.Level.WARNING, "API-key store unavailable: " + e.getMessage());
                count("store_unavailable");
                return AuthenticationResult.failure(Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                        .detail("API keys cannot be verified right now; retry shortly.")
                        .header("Retry-After", "5")
                        .build());
            }
            if (found.isEmpty()) {
                cache.putUnknown(hex);
                return fail(client, "unknown", invalid("The API key is not known"));
            }
            StoredApiKey s = found.get();
            entry = new KeyCache.Entry<>(s.key().id(), s, principal(s.key()));
            cache.put(hex, entry);
        }
        ApiKey key = entry.stored().key();
        switch (key.validityAt(clock.instant())) {
            case VALID -> {
                count("success");
                return AuthenticationResult.success(entry.value());
            }
            case VALID_IN_GRACE -> {
                count("success_in_grace");
                return AuthenticationResult.success(entry.value());
            }
            case EXPIRED -> {
                return fail(client, "expired", invalid("The API key expired"));
            }
            case REVOKED -> {
                return fail(client, "revoked", invalid("The API key was revoked"));
            }
            default -> {
                return fail(client, "rotated_out", invalid("The API key was replaced by a newer one"));
            }
        }
    }

    private static Principal principal(ApiKey k) {
        Principal.Builder b = Principal.builder(k.owner(), AuthScheme.API_KEY)
                .scopes(k.scopes())
                .tenant(k.tenant())
                .tier(k.tier())
                .expiresAt(k.expiresAt())
                .credentialId(k.id())
                .claim("api_key_id", k.id())
                .claim("api_key_environment", k.environment().id());
        if (k.name() != null) {
            b.claim("api_key_name", k.name());
        }
        return b.build();
    }

    private Problem invalid(String description) {
        return ApiKeyProblems.invalid(realm, settings.header(), description);
    }

    private AuthenticationResult fail(String client, String outcome, Problem problem) {
        count(outcome);
        abuse.failed(client);
        return AuthenticationResult.failure(problem);
    }

    private void count(String outcome) {
        outcomes.add(1, Attributes.of(OUTCOME, outcome));
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticator[" + settings.header() + ", " + settings.environment().id() + "]";
    }
}
