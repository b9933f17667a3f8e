package io.aegis.gateway.auth.jwt.internal;

import java.util.List;

/** Where verification keys come from: a fixed set, or a JWKS endpoint kept fresh. Thread-safe. */
public interface KeyProvider extends AutoCloseable {

    /**
     * The keys that may verify a token with this algorithm and key id. A provider backed by an
     * endpoint may refetch (rate-limited) when the key id is unknown.
     *
     * @throws KeysUnavailable when no keys have ever been obtained
     */
    List<VerificationKey> candidates(String alg, String kid) throws KeysUnavailable;

    /** {@code true} once keys are available (for readiness checks). */
    boolean ready();

    /** Registers a callback run after a refresh removed a key that was there before. */
    void onKeysRemoved(Runnable callback);

    @Override
    void close();

    /** No keys could ever be obtained (the identity provider was never reachable). */
    final class KeysUnavailable extends Exception {
        private static final long serialVersionUID = 1L;

        public KeysUnavailable(String reason) {
            super(reason, null, false, false);
        }
    }
}
