package io.aegis.gateway.mesh;

import java.util.List;
import java.util.Objects;

/**
 * A progressive rollout between two deployed versions: the {@code stable} pods and the
 * {@code canary} pods (a newer version) share the traffic both can serve, the canary's share
 * moving through {@code stages} (default 5, 25, 50, 100). {@link Canary} moves it one stage at a
 * time; rollback returns everything to the stable version.
 *
 * <p>Immutable and thread-safe.
 *
 * @param stable the id of the stable version
 * @param canary the id of the canary version (newer than the stable one)
 * @param stages the canary percentages, increasing, ending at 100
 */
@UnstableApi
public record Rollout(String stable, String canary, List<Integer> stages) {

    /** The stages when none are given. */
    public static final List<Integer> DEFAULT_STAGES = List.of(5, 25, 50, 100);

    /**
     * @throws MeshConfigException when the stages are not increasing percentages ending at 100
     */
    public Rollout {
        Objects.requireNonNull(stable, "stable");
        Objects.requireNonNull(canary, "canary");
        stages = stages == null || stages.isEmpty() ? DEFAULT_STAGES : List.copyOf(stages);
        int last = 0;
        for (int s : stages) {
            if (s <= last || s > 100) {
                throw new MeshConfigException("rollout.stages", stages + " (expected: increasing percentages 1 to 100, e.g. [5, 25, 50, 100])");
            }
            last = s;
        }
        if (last != 100) {
            throw new MeshConfigException("rollout.stages", stages + " (expected: the last stage is 100)");
        }
        if (stable.equals(canary)) {
            throw new MeshConfigException("rollout.canary", "'" + canary + "' (expected: another version than the stable one)");
        }
    }
}
