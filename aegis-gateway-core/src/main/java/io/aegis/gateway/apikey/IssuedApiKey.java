package io.aegis.gateway.apikey;

import java.util.Objects;

/**
 * A key just created or rotated: its metadata and its secret. The secret is shown to the caller
 * this once and never stored; {@link #toString()} does not include it.
 *
 * @param key the metadata
 * @param secret the full key, e.g. {@code aegis_live_…}
 */
public record IssuedApiKey(ApiKey key, String secret) {

    public IssuedApiKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(secret, "secret");
    }

    @Override
    public String toString() {
        return "IssuedApiKey[" + key.id() + ", " + key.hint() + "]";
    }
}
