package io.aegis.gateway.mesh;

import java.util.Objects;

/**
 * How the service runs on Kubernetes: its image, replicas and autoscaling, container resources
 * and disruption budget.
 *
 * <p>Immutable and thread-safe. Defaults: 2 replicas scaling to 6 at 70% CPU or 50 requests per
 * second per pod; requests 250m CPU / 256Mi, limits 1 CPU / 512Mi; at least 1 pod available
 * during voluntary disruptions.
 *
 * @param image the container image without tag; each version runs {@code image:<version label>}
 * @param replicas the replicas of the stable version (the HPA's minimum)
 * @param maxReplicas the HPA's maximum
 * @param cpuUtilization the HPA's target average CPU utilization in percent
 * @param requestsPerSecond the HPA's target of the custom per-pod metric
 *     {@code http_server_requests_per_second}, or 0 to scale on CPU only
 * @param cpuRequest CPU request, e.g. {@code 250m}
 * @param memoryRequest memory request, e.g. {@code 256Mi}
 * @param cpuLimit CPU limit
 * @param memoryLimit memory limit
 * @param minAvailable the PodDisruptionBudget's {@code minAvailable}
 */
@UnstableApi
public record KubernetesSpec(String image, int replicas, int maxReplicas, int cpuUtilization, int requestsPerSecond,
                             String cpuRequest, String memoryRequest, String cpuLimit, String memoryLimit,
                             int minAvailable) {

    private static final String QUANTITY = "[0-9]+(\\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G)?";

    /**
     * @throws MeshConfigException when a value is out of range
     */
    public KubernetesSpec {
        Objects.requireNonNull(image, "image");
        if (!image.matches("[a-z0-9]([-a-z0-9._/:]*[a-z0-9])?") || image.substring(image.lastIndexOf('/') + 1).contains(":")) {
            throw new MeshConfigException("kubernetes.image", "'" + image + "' (expected: an image name without tag, e.g. registry.example.com/aegis/user-service)");
        }
        if (replicas < 1 || replicas > 1000) {
            throw new MeshConfigException("kubernetes.replicas", replicas + " (expected: 1 to 1000)");
        }
        if (maxReplicas < replicas || maxReplicas > 1000) {
            throw new MeshConfigException("kubernetes.max-replicas", maxReplicas + " (expected: " + replicas + " (replicas) to 1000)");
        }
        if (cpuUtilization < 1 || cpuUtilization > 100) {
            throw new MeshConfigException("kubernetes.cpu-utilization", cpuUtilization + " (expected: 1 to 100 percent)");
        }
        if (requestsPerSecond < 0) {
            throw new MeshConfigException("kubernetes.requests-per-second", requestsPerSecond + " (expected: >= 0)");
        }
        String[][] quantities = {{"cpu-request", cpuRequest}, {"memory-request", memoryRequest}, {"cpu-limit", cpuLimit},
                {"memory-limit", memoryLimit}};
        for (String[] q : quantities) {
            if (q[1] == null || !q[1].matches(QUANTITY)) {
                throw new MeshConfigException("kubernetes.resources." + q[0], "'" + q[1] + "' (expected: a Kubernetes quantity, e.g. 250m or 512Mi)");
            }
        }
        if (minAvailable < 0 || minAvailable > replicas) {
            throw new MeshConfigException("kubernetes.min-available", minAvailable + " (expected: 0 to " + replicas + " (replicas))");
        }
    }

    /** The defaults for an image. */
    public static KubernetesSpec defaults(String image) {
        return new KubernetesSpec(image, 2, 6, 70, 50, "250m", "256Mi", "1", "512Mi", 1);
    }
}
