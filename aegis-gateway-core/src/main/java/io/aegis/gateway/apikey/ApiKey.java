package io.aegis.gateway.apikey;

import io.aegis.gateway.policy.Tier;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What is known about an API key, without its secret: who owns it, what it may do, and where it
 * is in its lifecycle. The secret itself is shown once, at creation ({@link IssuedApiKey}); stores
 * keep only its hash.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id a stable, public identifier ({@code key_…}); safe to log and to count by
 * @param environment live or test
 * @param name a label chosen by the owner, or {@code null}
 * @param owner the principal the key acts for (the subject of requests made with it)
 * @param tenant the tenant, or {@code null}
 * @param tier the tier its requests are limited by
 * @param scopes the scopes it grants
 * @param hint the prefix and last characters, to recognise the key ({@code aegis_live_…Rq1x})
 * @param status active, rotated or revoked
 * @param createdAt when it was created
 * @param expiresAt when it stops being valid, or {@code null} for never
 * @param graceUntil for a rotated key, when its grace period ends; else {@code null}
 * @param replacedBy for a rotated key, the id of its successor; else {@code null}
 * @param revokedAt for a revoked key, when; else {@code null}
 * @param lastUsedAt when it was last used (as of the last usage flush), or {@code null}
 */
public record ApiKey(String id, ApiKeyFormat.Environment environment, String name, String owner, String tenant,
                     Tier tier, Set<String> scopes, String hint, ApiKeyStatus status, Instant createdAt,
                     Instant expiresAt, Instant graceUntil, String replacedBy, Instant revokedAt, Instant lastUsedAt) {

    /** Whether a key can be used at an instant, and if not, why. */
    public enum Validity {
        /** Active and not expired. */
        VALID,
        /** Rotated, but still within its grace period. */
        VALID_IN_GRACE,
        /** Past its expiry. */
        EXPIRED,
        /** Revoked. */
        REVOKED,
        /** Rotated and its grace period is over. */
        ROTATED_OUT;

        /** {@code true} for {@link #VALID} and {@link #VALID_IN_GRACE}. */
        public boolean usable() {
            return this == VALID || this == VALID_IN_GRACE;
        }
    }

    public ApiKey {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(tier, "tier");
        scopes = Set.copyOf(scopes);
        Objects.requireNonNull(hint, "hint");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
    }

    /** Whether the key can be used at {@code now}. */
    public Validity validityAt(Instant now) {
        if (status == ApiKeyStatus.REVOKED) {
            return Validity.REVOKED;
        }
        if (expiresAt != null && !now.isBefore(expiresAt)) {
            return Validity.EXPIRED;
        }
        if (status == ApiKeyStatus.ROTATED) {
            return graceUntil != null && now.isBefore(graceUntil) ? Validity.VALID_IN_GRACE : Validity.ROTATED_OUT;
        }
        return Validity.VALID;
    }

    /** A copy in the rotated state. */
    public ApiKey rotated(Instant graceUntil, String successorId) {
        return new ApiKey(id, environment, name, owner, tenant, tier, scopes, hint, ApiKeyStatus.ROTATED, createdAt,
                expiresAt, graceUntil, successorId, revokedAt, lastUsedAt);
    }

    /** A copy in the revoked state. */
    public ApiKey revoked(Instant at) {
        return new ApiKey(id, environment, name, owner, tenant, tier, scopes, hint, ApiKeyStatus.REVOKED, createdAt,
                expiresAt, graceUntil, replacedBy, at, lastUsedAt);
    }

    /** A copy with a later last-used time (an earlier one is ignored). */
    public ApiKey usedAt(Instant at) {
        if (at == null || lastUsedAt != null && !at.isAfter(lastUsedAt)) {
            return this;
        }
        return new ApiKey(id, environment, name, owner, tenant, tier, scopes, hint, status, createdAt, expiresAt,
                graceUntil, replacedBy, revokedAt, at);
    }
}
