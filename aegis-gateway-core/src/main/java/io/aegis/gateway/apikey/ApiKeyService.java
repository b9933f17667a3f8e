package io.aegis.gateway.apikey;

import io.aegis.gateway.apikey.internal.UsageTracker;
import io.aegis.gateway.apikey.spi.ApiKeyStore;
import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.apikey.spi.StoredApiKey;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Administration of API keys: create, list, rotate, revoke, and read usage and the audit trail.
 * The admin JAX-RS resource and the CLI of the examples call this.
 *
 * <p>Every change is written to the store's audit trail and published as a gateway event
 * ({@value #CREATED}, {@value #ROTATED}, {@value #REVOKED}) naming the key, its owner and the actor,
 * never the secret. Revocation and rotation drop the key from this replica's cache at once and are
 * broadcast to the others (Redis pub/sub when configured); the cache TTL bounds the rest.
 *
 * <p>Thread-safe. Invalid input throws {@link IllegalArgumentException}, an unknown key
 * {@link NoSuchElementException}, a key in the wrong state {@link IllegalStateException}, a failing
 * store {@link ApiKeyStoreException}.
 */
public final class ApiKeyService {

    /** Event type: a key was created. */
    public static final String CREATED = "apikey.created";
    /** Event type: a key was rotated (its successor is announced by a {@value #CREATED} event too). */
    public static final String ROTATED = "apikey.rotated";
    /** Event type: a key was revoked. */
    public static final String REVOKED = "apikey.revoked";

    private static final System.Logger LOG = System.getLogger(ApiKeyService.class.getName());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ApiKeySettings settings;
    private final ApiKeyStore store;
    private final ApiKeyHasher hasher;
    private final Clock clock;
    private final GatewayEvents events;
    private final Consumer<String> invalidate;
    private final UsageTracker usage;

    ApiKeyService(ApiKeySettings settings, ApiKeyStore store, ApiKeyHasher hasher, Clock clock, GatewayEvents events,
                  Consumer<String> invalidate, UsageTracker usage) {
        this.settings = settings;
        this.store = store;
        this.hasher = hasher;
        this.clock = clock;
        this.events = events;
        this.invalidate = invalidate;
        this.usage = usage;
    }

    /**
     * Creates a key. The secret in the answer is shown this once.
     *
     * @param actor who asks (for the audit trail)
     * @throws IllegalArgumentException when the expiry is not in the future
     */
    public IssuedApiKey create(NewApiKey spec, String actor) {
        Objects.requireNonNull(spec, "spec");
        Instant now = clock.instant();
        Instant expires = spec.expiresAt() != null ? spec.expiresAt()
                : spec.lifetime() != null ? now.plus(spec.lifetime())
                : settings.defaultLifetime() != null ? now.plus(settings.defaultLifetime()) : null;
        if (expires != null && !expires.isAfter(now)) {
            throw new IllegalArgumentException("expiresAt: " + expires + " (expected: in the future)");
        }
        String secret = ApiKeyFormat.generate(settings.environment());
        ApiKey key = new ApiKey(newId(), settings.environment(), spec.name(), spec.owner(), spec.tenant(), spec.tier(),
                spec.scopes(), ApiKeyFormat.hint(secret), ApiKeyStatus.ACTIVE, now, expires, null, null, null, null);
        store.create(new StoredApiKey(key, hasher.hash(secret)));
        invalidate.accept("new");
        audit(key, "created", actor, now, "owner=" + key.owner() + " tier=" + key.tier().id() + " scopes="
                + String.join(",", key.scopes().stream().sorted().toList())
                + (expires == null ? "" : " expires=" + expires));
        events.publish(GatewayEvent.of(CREATED, "key_id", key.id(), "owner", key.owner(), "tenant", key.tenant(),
                "tier", key.tier().id(), "actor", actor));
        return new IssuedApiKey(key, secret);
    }

    /** The key with this id. */
    public Optional<ApiKey> get(String id) {
        return store.findById(id).map(StoredApiKey::key);
    }

    /** Keys passing the filter, newest first. */
    public List<ApiKey> list(ApiKeyFilter filter) {
        return store.list(filter).stream().map(StoredApiKey::key).toList();
    }

    /**
     * Replaces an active key by a new one with the same owner, tenant, tier, scopes and expiry. The
     * old key stays valid for the grace period, so clients can switch without an outage.
     *
     * @param grace how long the old key keeps working ({@code null}: the configured default)
     * @throws NoSuchElementException when no key has this id
     * @throws IllegalStateException when the key is not active (already rotated or revoked, or
     *     rotated concurrently by another call)
     * @throws IllegalArgumentException when the grace period is negative or longer than allowed
     */
    public IssuedApiKey rotate(String id, Duration grace, String actor) {
        Duration g = grace == null ? settings.rotationGrace() : grace;
        if (g.isNegative() || g.compareTo(settings.maxRotationGrace()) > 0) {
            throw new IllegalArgumentException("grace: " + g + " (expected: 0.." + settings.maxRotationGrace() + ")");
        }
        ApiKey old = get(id).orElseThrow(() -> new NoSuchElementException("no API key " + id));
        if (old.status() != ApiKeyStatus.ACTIVE) {
            throw new IllegalStateException("API key " + id + " is " + old.status().name().toLowerCase(java.util.Locale.ROOT)
                    + " (expected: an active key)");
        }
        Instant now = clock.instant();
        String secret = ApiKeyFormat.generate(settings.environment());
        ApiKey successor = new ApiKey(newId(), settings.environment(), old.name(), old.owner(), old.tenant(), old.tier(),
                old.scopes(), ApiKeyFormat.hint(secret), ApiKeyStatus.ACTIVE, now, old.expiresAt(), null, null, null, null);
        Instant graceUntil = now.plus(g);
        if (!store.rotate(id, new StoredApiKey(successor, hasher.hash(secret)), graceUntil)) {
            throw new IllegalStateException("API key " + id + " changed concurrently (expected: an active key)");
        }
        invalidate.accept("key:" + id);
        invalidate.accept("new");
        audit(old, "rotated", actor, now, "successor=" + successor.id() + " grace_until=" + graceUntil);
        audit(successor, "created", actor, now, "successor of " + id);
        events.publish(GatewayEvent.of(ROTATED, "key_id", id, "successor", successor.id(), "owner", old.owner(),
                "tenant", old.tenant(), "grace_until", graceUntil.toString(), "actor", actor));
        events.publish(GatewayEvent.of(CREATED, "key_id", successor.id(), "owner", successor.owner(),
                "tenant", successor.tenant(), "tier", successor.tier().id(), "actor", actor, "predecessor", id));
        return new IssuedApiKey(successor, secret);
    }

    /**
     * Revokes a key (idempotent: a revoked key is answered as it is). Takes effect on this replica
     * at once and on the others within the cache TTL (at once with Redis broadcast).
     *
     * @throws NoSuchElementException when no key has this id
     */
    public ApiKey revoke(String id, String actor) {
        Instant now = clock.instant();
        boolean changed = store.revoke(id, now);
        ApiKey key = get(id).orElseThrow(() -> new NoSuchElementException("no API key " + id));
        invalidate.accept("key:" + id);
        if (changed) {
            audit(key, "revoked", actor, now, "");
            events.publish(GatewayEvent.of(REVOKED, "key_id", id, "owner", key.owner(), "tenant", key.tenant(),
                    "actor", actor));
        }
        return key;
    }

    /**
     * Usage of a key from {@code from} (rounded down to the hour) to {@code to}, including what this
     * replica counted but has not flushed yet.
     *
     * @throws NoSuchElementException when no key has this id
     * @throws IllegalArgumentException when {@code from} is not before {@code to}
     */
    public ApiKeyUsageReport usage(String id, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from: " + from + " (expected: before to " + to + ")");
        }
        get(id).orElseThrow(() -> new NoSuchElementException("no API key " + id));
        Instant start = from.truncatedTo(ChronoUnit.HOURS);
        Map<String, ApiKeyUsage> rows = new LinkedHashMap<>();
        List<ApiKeyUsage> all = new ArrayList<>(store.usage(id, start, to));
        if (usage != null) {
            for (ApiKeyUsage u : usage.pending(id)) {
                if (!u.periodStart().isBefore(start) && u.periodStart().isBefore(to)) {
                    all.add(u);
                }
            }
        }
        for (ApiKeyUsage u : all) {
            rows.merge(u.periodStart() + "\n" + u.route() + "\n" + u.version(), u, ApiKeyUsage::plus);
        }
        List<ApiKeyUsage> sorted = new ArrayList<>(rows.values());
        sorted.sort(java.util.Comparator.comparing(ApiKeyUsage::periodStart).thenComparing(ApiKeyUsage::route)
                .thenComparing(ApiKeyUsage::version));
        long requests = 0;
        long errors = 0;
        Instant last = null;
        for (ApiKeyUsage u : sorted) {
            requests += u.requests();
            errors += u.errors();
            last = last == null || u.lastUsedAt().isAfter(last) ? u.lastUsedAt() : last;
        }
        return new ApiKeyUsageReport(id, start, to, requests, errors, last, sorted);
    }

    /** The newest audit entries of a key (at most {@code limit}), newest first. */
    public List<io.aegis.gateway.apikey.ApiKeyAuditRecord> audit(String id, int limit) {
        return store.audit(id, limit);
    }

    private void audit(ApiKey key, String action, String actor, Instant at, String detail) {
        try {
            store.appendAudit(new ApiKeyAuditRecord(key.id(), action, actor == null ? "unknown" : actor, at, detail));
        } catch (ApiKeyStoreException e) {
            // The change itself is done; the event below still reports it.
            LOG.log(System.Logger.Level.ERROR, "audit trail entry for " + action + " of " + key.id() + " was not written", e);
        }
    }

    private static String newId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "key_" + HexFormat.of().formatHex(b);
    }
}
