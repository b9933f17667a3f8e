package io.aegis.gateway.apikey.spi;

import io.aegis.gateway.apikey.ApiKey;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key as a store keeps it: its metadata and the HMAC of its secret (never the secret).
 *
 * <p>Immutable and thread-safe: the hash is copied in and out.
 */
public final class StoredApiKey {

    private final ApiKey key;
    private final byte[] hash;

    /**
     * @param key the metadata
     * @param hash the HMAC-SHA-256 of the secret (copied)
     */
    public StoredApiKey(ApiKey key, byte[] hash) {
        this.key = Objects.requireNonNull(key, "key");
        this.hash = Objects.requireNonNull(hash, "hash").clone();
    }

    public ApiKey key() {
        return key;
    }

    /** A copy of the hash. */
    public byte[] hash() {
        return hash.clone();
    }

    /** The same hash with other metadata. */
    public StoredApiKey with(ApiKey other) {
        return new StoredApiKey(other, hash);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredApiKey s && s.key.equals(key) && Arrays.equals(s.hash, hash);
    }

    @Override
    public int hashCode() {
        return key.hashCode() * 31 + Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        return "StoredApiKey[" + key.id() + ", " + key.status() + "]";
    }
}
