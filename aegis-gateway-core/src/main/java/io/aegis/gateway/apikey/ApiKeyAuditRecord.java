package io.aegis.gateway.apikey;

import java.time.Instant;
import java.util.Objects;

/**
 * One change to a key, as kept in the store's audit trail (and published as a gateway event).
 *
 * @param keyId the key changed
 * @param action {@code created}, {@code rotated} or {@code revoked}
 * @param actor who did it (the admin principal's subject, {@code cli}, ...)
 * @param at when
 * @param detail a short description (the successor of a rotation, the grace period, ...), never a secret
 */
public record ApiKeyAuditRecord(String keyId, String action, String actor, Instant at, String detail) {

    public ApiKeyAuditRecord {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        detail = detail == null ? "" : detail;
    }
}
