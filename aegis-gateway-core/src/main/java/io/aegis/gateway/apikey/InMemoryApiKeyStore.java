package io.aegis.gateway.apikey;

import io.aegis.gateway.apikey.spi.ApiKeyStore;
import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.apikey.spi.StoredApiKey;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The default store: everything in this process, lost on restart, not shared between replicas.
 * Suits development, tests and single-instance demos. The audit trail keeps the newest 10,000
 * entries.
 *
 * <p>Thread-safe: every operation holds one lock, so {@link #rotate} is atomic.
 */
public final class InMemoryApiKeyStore implements ApiKeyStore {

    private static final int MAX_AUDIT = 10_000;

    private final Map<String, StoredApiKey> byId = new HashMap<>();
    private final Map<String, String> idByHash = new HashMap<>();
    private final Map<String, ApiKeyUsage> usage = new HashMap<>();
    private final Deque<ApiKeyAuditRecord> audit = new ArrayDeque<>();

    @Override
    public synchronized void create(StoredApiKey key) {
        String hex = HexFormat.of().formatHex(key.hash());
        if (byId.containsKey(key.key().id()) || idByHash.containsKey(hex)) {
            throw new ApiKeyStoreException("key " + key.key().id() + " already exists");
        }
        byId.put(key.key().id(), key);
        idByHash.put(hex, key.key().id());
    }

    @Override
    public synchronized Optional<StoredApiKey> findByHash(byte[] hash) {
        String id = idByHash.get(HexFormat.of().formatHex(hash));
        return id == null ? Optional.empty() : Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized Optional<StoredApiKey> findById(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public synchronized List<StoredApiKey> list(ApiKeyFilter filter) {
        return byId.values().stream()
                .filter(s -> filter.accepts(s.key()))
                .sorted(Comparator.comparing((StoredApiKey s) -> s.key().createdAt()).reversed()
                        .thenComparing(s -> s.key().id()))
                .limit(filter.limit())
                .toList();
    }

    @Override
    public synchronized boolean rotate(String id, StoredApiKey successor, Instant graceUntil) {
        StoredApiKey old = byId.get(id);
        if (old == null || old.key().status() != ApiKeyStatus.ACTIVE) {
            return false;
        }
        create(successor);
        byId.put(id, old.with(old.key().rotated(graceUntil, successor.key().id())));
        return true;
    }

    @Override
    public synchronized boolean revoke(String id, Instant at) {
        StoredApiKey old = byId.get(id);
        if (old == null || old.key().status() == ApiKeyStatus.REVOKED) {
            return false;
        }
        byId.put(id, old.with(old.key().revoked(at)));
        return true;
    }

    @Override
    public synchronized void recordUsage(List<ApiKeyUsage> batch) {
        for (ApiKeyUsage u : batch) {
            usage.merge(u.keyId() + '\n' + u.periodStart() + '\n' + u.route() + '\n' + u.version(), u, ApiKeyUsage::plus);
            StoredApiKey k = byId.get(u.keyId());
            if (k != null) {
                byId.put(u.keyId(), k.with(k.key().usedAt(u.lastUsedAt())));
            }
        }
    }

    @Override
    public synchronized List<ApiKeyUsage> usage(String keyId, Instant from, Instant to) {
        List<ApiKeyUsage> out = new ArrayList<>();
        for (ApiKeyUsage u : usage.values()) {
            if (u.keyId().equals(keyId) && !u.periodStart().isBefore(from) && u.periodStart().isBefore(to)) {
                out.add(u);
            }
        }
        out.sort(Comparator.comparing(ApiKeyUsage::periodStart).thenComparing(ApiKeyUsage::route)
                .thenComparing(ApiKeyUsage::version));
        return out;
    }

    @Override
    public synchronized void appendAudit(ApiKeyAuditRecord entry) {
        audit.addFirst(entry);
        while (audit.size() > MAX_AUDIT) {
            audit.removeLast();
        }
    }

    @Override
    public synchronized List<ApiKeyAuditRecord> audit(String keyId, int limit) {
        return audit.stream().filter(a -> a.keyId().equals(keyId)).limit(limit).toList();
    }

    @Override
    public String toString() {
        return "InMemoryApiKeyStore";
    }
}
