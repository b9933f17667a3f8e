package io.aegis.gateway.mesh;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who calls the service, and with which scopes: another workload of the mesh (its SPIFFE
 * principal {@code cluster.local/ns/<ns>/sa/<sa>}) or a client at the edge (a Kong consumer).
 * Scopes granted to callers are checked against the scopes routes require: a scope no caller is
 * granted is a mistake the generator refuses.
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the caller's name (a Kong consumer's username for edge callers)
 * @param principal the mesh principal, or {@code null} for an edge caller
 * @param edge how an edge caller authenticates at Kong, or {@code null} for a mesh caller
 * @param scopes the scopes the caller is granted
 */
@UnstableApi
public record MeshCaller(String name, String principal, EdgeCredential edge, Set<String> scopes) {

    /** How an edge caller authenticates at Kong. */
    public enum EdgeCredential {
        /** Tokens of the service's issuer (Kong {@code jwt} plugin, one consumer per issuer). */
        JWT,
        /** An API key (Kong {@code key-auth}). */
        API_KEY
    }

    /**
     * @throws MeshConfigException when the caller is neither or both a mesh and an edge caller,
     *     or a name or principal is malformed
     */
    public MeshCaller {
        Objects.requireNonNull(name, "name");
        String field = "callers[" + name + "]";
        if (!name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            throw new MeshConfigException(field + ".name", "'" + name + "' (expected: lower-case letters, digits and hyphens)");
        }
        if ((principal == null) == (edge == null)) {
            throw new MeshConfigException(field, "principal " + principal + ", edge " + edge
                    + " (expected: exactly one of principal (a mesh workload) or edge (a Kong consumer))");
        }
        if (principal != null && !principal.matches("[a-z0-9.-]+/ns/[a-z0-9-]+/sa/[a-z0-9.-]+")) {
            throw new MeshConfigException(field + ".principal", "'" + principal
                    + "' (expected: <trust-domain>/ns/<namespace>/sa/<service-account>, e.g. cluster.local/ns/aegis/sa/web)");
        }
        scopes = scopes == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(scopes));
        for (String s : scopes) {
            if (s.isBlank() || s.chars().anyMatch(Character::isWhitespace)) {
                throw new MeshConfigException(field + ".scopes", "'" + s + "' (expected: a scope without white space)");
            }
        }
    }

    /** A mesh caller. */
    public static MeshCaller mesh(String name, String principal, List<String> scopes) {
        return new MeshCaller(name, principal, null, Set.copyOf(scopes));
    }

    /** An edge caller. */
    public static MeshCaller edge(String name, EdgeCredential credential, List<String> scopes) {
        return new MeshCaller(name, null, credential, Set.copyOf(scopes));
    }

    /** {@code true} for a workload of the mesh. */
    public boolean isMesh() {
        return principal != null;
    }
}
