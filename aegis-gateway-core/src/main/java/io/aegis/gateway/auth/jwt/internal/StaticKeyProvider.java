package io.aegis.gateway.auth.jwt.internal;

import java.time.Instant;
import java.util.List;

/** A fixed set of keys (PEM, a JWKS file, a secret). */
public final class StaticKeyProvider implements KeyProvider {

    private final KeySet keys;

    public StaticKeyProvider(List<VerificationKey> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("keys: [] (expected: at least one verification key)");
        }
        this.keys = new KeySet(keys, Instant.EPOCH);
    }

    @Override
    public List<VerificationKey> candidates(String alg, String kid) {
        List<VerificationKey> c = keys.candidates(alg, kid);
        // A static key without kid also verifies tokens that name a kid: PEM keys carry no ids.
        if (c.isEmpty() && kid != null) {
            return keys.keys().stream().filter(k -> k.kid() == null && k.accepts(alg)).toList();
        }
        return c;
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public void onKeysRemoved(Runnable callback) {
        // keys never change
    }

    @Override
    public void close() {
    }
}
