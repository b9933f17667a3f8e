package io.aegis.gateway.auth.jwt.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** An immutable snapshot of verification keys, indexed by {@code kid}. */
public final class KeySet {

    private final List<VerificationKey> keys;
    private final Map<String, List<VerificationKey>> byKid;
    private final Instant fetchedAt;

    public KeySet(List<VerificationKey> keys, Instant fetchedAt) {
        this.keys = List.copyOf(keys);
        Map<String, List<VerificationKey>> m = new HashMap<>();
        for (VerificationKey k : keys) {
            if (k.kid() != null) {
                m.computeIfAbsent(k.kid(), x -> new ArrayList<>(1)).add(k);
            }
        }
        this.byKid = m;
        this.fetchedAt = fetchedAt;
    }

    public List<VerificationKey> keys() {
        return keys;
    }

    public Instant fetchedAt() {
        return fetchedAt;
    }

    public Set<String> kids() {
        return keys.stream().map(VerificationKey::kid).filter(k -> k != null).collect(Collectors.toSet());
    }

    /** {@code true} when the set has a key with this {@code kid}. */
    public boolean hasKid(String kid) {
        return byKid.containsKey(kid);
    }

    /**
     * The keys that may verify a token with this algorithm and key id: with a {@code kid}, the
     * keys of that id; without one, every key that accepts the algorithm.
     */
    public List<VerificationKey> candidates(String alg, String kid) {
        List<VerificationKey> pool = kid != null ? byKid.getOrDefault(kid, List.of()) : keys;
        List<VerificationKey> out = new ArrayList<>(1);
        for (VerificationKey k : pool) {
            if (k.accepts(alg)) {
                out.add(k);
            }
        }
        return out;
    }
}
