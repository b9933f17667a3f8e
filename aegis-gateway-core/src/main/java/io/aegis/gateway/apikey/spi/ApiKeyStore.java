package io.aegis.gateway.apikey.spi;

import io.aegis.gateway.apikey.ApiKeyAuditRecord;
import io.aegis.gateway.apikey.ApiKeyFilter;
import io.aegis.gateway.apikey.ApiKeyUsage;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where API keys, their usage and their audit trail live. The library ships an in-memory store
 * (the default, for development and single-replica demos) and a JDBC store for PostgreSQL.
 *
 * <p>Implementations must be thread-safe, must apply {@link #rotate} atomically, and throw
 * {@link ApiKeyStoreException} when the backend fails (never return a wrong answer instead). Calls
 * are made on request threads only when a key is not cached, and must be bounded in time.
 */
public interface ApiKeyStore extends AutoCloseable {

    /**
     * Stores a new key.
     *
     * @throws ApiKeyStoreException when the backend fails, or the id or hash is already taken
     */
    void create(StoredApiKey key);

    /** The key with this secret hash, if any. */
    Optional<StoredApiKey> findByHash(byte[] hash);

    /** The key with this id, if any. */
    Optional<StoredApiKey> findById(String id);

    /** Keys that pass the filter, newest first, at most {@link ApiKeyFilter#limit()}. */
    List<StoredApiKey> list(ApiKeyFilter filter);

    /**
     * Atomically marks an active key rotated (valid until {@code graceUntil}, replaced by the
     * successor) and stores the successor. When the key is not active (already rotated or
     * revoked, e.g. by a concurrent call) nothing changes.
     *
     * @return {@code true} when the rotation happened
     */
    boolean rotate(String id, StoredApiKey successor, Instant graceUntil);

    /**
     * Marks a key revoked.
     *
     * @return {@code true} when it changed; {@code false} when unknown or already revoked
     */
    boolean revoke(String id, Instant at);

    /** Adds usage counts (summing rows of the same key, hour, route and version) and advances last-used times. */
    void recordUsage(List<ApiKeyUsage> batch);

    /** Usage rows of a key with {@code from <= periodStart < to}, oldest first. */
    List<ApiKeyUsage> usage(String keyId, Instant from, Instant to);

    /** Appends to the audit trail. */
    void appendAudit(ApiKeyAuditRecord entry);

    /** The newest audit entries of a key, newest first. */
    List<ApiKeyAuditRecord> audit(String keyId, int limit);

    /** {@code true} when the backend answers now (readiness). */
    default boolean healthy() {
        return true;
    }

    /** Releases connections; the default does nothing. */
    @Override
    default void close() {
    }
}
