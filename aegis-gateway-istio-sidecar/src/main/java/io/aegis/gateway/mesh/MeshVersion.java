package io.aegis.gateway.mesh;

import java.time.Instant;
import java.util.Objects;

/**
 * One API version as the mesh routes it: the path prefix of its routes, the pods that serve it
 * (the pod label {@code version}, an Istio subset) and the share of the shared traffic those pods
 * get. A version's pods also serve the older versions that are not sunset, so a prefix is routed
 * to every deployed version at least as new as it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id the version id, {@code v} and a number: {@code v1}, {@code v2}
 * @param label the value of the pod label {@code version} (the subset); default the id
 * @param prefix the path prefix of the version's routes; default {@code /api/<id>/}
 * @param weight the percentage of the shared traffic its pods get, 0 to 100 (canary weights)
 * @param deprecation when the version is deprecated, or {@code null}
 * @param sunset when the version stops being served, or {@code null}
 * @param successor the version that replaces it, or {@code null}
 * @param migrationGuide a link to the migration guide, or {@code null}
 */
@UnstableApi
public record MeshVersion(String id, String label, String prefix, int weight, Instant deprecation, Instant sunset,
                          String successor, String migrationGuide) {

    /**
     * @throws MeshConfigException when a field is out of range
     */
    public MeshVersion {
        Objects.requireNonNull(id, "id");
        String field = "versions[" + id + "]";
        if (!id.matches("v[1-9][0-9]{0,3}")) {
            throw new MeshConfigException(field + ".id", "'" + id + "' (expected: v followed by a number, e.g. v1)");
        }
        label = label == null ? id : label;
        if (!label.matches("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?")) {
            throw new MeshConfigException(field + ".label", "'" + label + "' (expected: a Kubernetes label value)");
        }
        prefix = prefix == null ? "/api/" + id + "/" : prefix;
        if (!prefix.startsWith("/") || !prefix.endsWith("/") || prefix.contains("//") || prefix.contains("*")) {
            throw new MeshConfigException(field + ".prefix", "'" + prefix
                    + "' (expected: a path starting and ending with '/', e.g. /api/v1/)");
        }
        if (weight < 0 || weight > 100) {
            throw new MeshConfigException(field + ".weight", weight + " (expected: 0 to 100)");
        }
        if (deprecation != null && sunset != null && sunset.isBefore(deprecation)) {
            throw new MeshConfigException(field + ".sunset", sunset + " (expected: not before the deprecation " + deprecation + ")");
        }
        if (id.equals(successor)) {
            throw new MeshConfigException(field + ".successor", "'" + successor + "' (expected: another version)");
        }
    }

    /** A version with the default label and prefix and no lifecycle dates. */
    public static MeshVersion of(String id, int weight) {
        return new MeshVersion(id, null, null, weight, null, null, null, null);
    }

    /** The version number ({@code 2} for {@code v2}), to order versions. */
    public int number() {
        return Integer.parseInt(id.substring(1));
    }

    /** {@code true} when the version is sunset at {@code now}. */
    public boolean sunsetAt(Instant now) {
        return sunset != null && !now.isBefore(sunset);
    }

    /** The same version with another weight. */
    public MeshVersion withWeight(int newWeight) {
        return new MeshVersion(id, label, prefix, newWeight, deprecation, sunset, successor, migrationGuide);
    }
}
