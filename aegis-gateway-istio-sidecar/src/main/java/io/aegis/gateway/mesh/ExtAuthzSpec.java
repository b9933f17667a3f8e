package io.aegis.gateway.mesh;

/**
 * The ext_authz sidecar, for services that cannot embed the library: an extra container in the
 * service's pod running {@code aegis-mesh serve-ext-authz} with the service's configuration,
 * wired into Istio as an {@code envoyExtAuthzHttp} extension provider and a {@code CUSTOM}
 * authorization policy.
 *
 * <p>Immutable and thread-safe. Defaults: off; port 9191; path prefix {@code /ext-authz}; image
 * {@code registry.aegis.example.com/aegis/aegis-mesh}; request bodies not forwarded.
 *
 * @param enabled whether the service uses the sidecar
 * @param port the sidecar's port
 * @param pathPrefix the prefix Envoy puts before the original path
 * @param image the sidecar image (with tag)
 * @param maxRequestBytes how much of a request body Envoy forwards (0: none)
 */
@UnstableApi
public record ExtAuthzSpec(boolean enabled, int port, String pathPrefix, String image, int maxRequestBytes) {

    /** The provider name in the mesh configuration. */
    public static final String PROVIDER = "aegis-ext-authz";
    /** The host the provider names; a ServiceEntry resolves it to the pod's own loopback. */
    public static final String HOST = "aegis-ext-authz.local";

    /**
     * @throws MeshConfigException when a value is out of range
     */
    public ExtAuthzSpec {
        if (port < 1 || port > 65535) {
            throw new MeshConfigException("ext-authz.port", port + " (expected: 1 to 65535)");
        }
        if (pathPrefix == null || !pathPrefix.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new MeshConfigException("ext-authz.path-prefix", "'" + pathPrefix
                    + "' (expected: a path without a trailing '/', e.g. /ext-authz)");
        }
        if (image == null || image.isBlank()) {
            throw new MeshConfigException("ext-authz.image", "'" + image + "' (expected: an image reference)");
        }
        if (maxRequestBytes < 0) {
            throw new MeshConfigException("ext-authz.max-request-bytes", maxRequestBytes + " (expected: >= 0)");
        }
    }

    public static ExtAuthzSpec disabled() {
        return new ExtAuthzSpec(false, 9191, "/ext-authz", "registry.aegis.example.com/aegis/aegis-mesh:0.1.0", 0);
    }
}
