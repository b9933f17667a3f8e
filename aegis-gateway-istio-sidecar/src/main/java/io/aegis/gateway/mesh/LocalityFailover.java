package io.aegis.gateway.mesh;

import java.util.Objects;

/**
 * Multi-region failover: when no healthy endpoint is left in region {@code from}, traffic goes
 * to region {@code to} (Istio {@code localityLbSetting.failover}).
 *
 * @param from a region, e.g. {@code eu-west-1}
 * @param to the region that takes over
 */
@UnstableApi
public record LocalityFailover(String from, String to) {

    /**
     * @throws MeshConfigException for a malformed or identical region
     */
    public LocalityFailover {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        for (String r : new String[] {from, to}) {
            if (!r.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
                throw new MeshConfigException("regions.failover", "'" + r + "' (expected: a region name, e.g. eu-west-1)");
            }
        }
        if (from.equals(to)) {
            throw new MeshConfigException("regions.failover", from + " -> " + to + " (expected: two different regions)");
        }
    }
}
