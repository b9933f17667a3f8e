package io.aegis.gateway.mesh;

import java.util.Objects;

/**
 * A service this service calls: its egress is scoped to these (Istio {@code Sidecar}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param name the upstream's name (as in {@code aegis.upstreams.<name>})
 * @param host its host: a cluster-local DNS name ({@code policy-service.aegis.svc.cluster.local})
 *     or an external one
 * @param namespace the namespace that exports the host, or {@code *} for an external host
 */
@UnstableApi
public record MeshUpstream(String name, String host, String namespace) {

    /**
     * @throws MeshConfigException for a malformed host or namespace
     */
    public MeshUpstream {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        String field = "upstreams[" + name + "]";
        if (!host.matches("[A-Za-z0-9*]([-A-Za-z0-9.]*[A-Za-z0-9])?")) {
            throw new MeshConfigException(field + ".host", "'" + host + "' (expected: a DNS name)");
        }
        if (namespace == null) {
            namespace = host.endsWith(".svc.cluster.local") ? host.split("\\.")[1] : "*";
        }
        if (!namespace.equals("*") && !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            throw new MeshConfigException(field + ".namespace", "'" + namespace + "' (expected: a namespace or *)");
        }
    }

    /** The Sidecar egress form {@code <namespace>/<host>}. */
    public String egressHost() {
        return namespace + "/" + host;
    }
}
