package io.aegis.gateway.mesh;

import java.util.List;

/**
 * Cross-origin rules applied at the edge (Kong {@code cors}).
 *
 * <p>Immutable and thread-safe. Defaults: no origins (the plugin is left out), no credentials,
 * preflight cached for an hour.
 *
 * @param origins allowed origins, e.g. {@code https://app.example.com}
 * @param credentials whether credentials (cookies, authorization) may be sent
 * @param maxAgeSeconds how long browsers may cache a preflight answer
 */
@UnstableApi
public record CorsSpec(List<String> origins, boolean credentials, int maxAgeSeconds) {

    /**
     * @throws MeshConfigException for an origin that is not {@code *} or an http(s) origin
     */
    public CorsSpec {
        origins = origins == null ? List.of() : List.copyOf(origins);
        for (String o : origins) {
            if (!o.equals("*") && !o.matches("https?://[A-Za-z0-9.*-]+(:[0-9]{1,5})?")) {
                throw new MeshConfigException("cors.origins", "'" + o + "' (expected: * or scheme://host[:port] without a path)");
            }
        }
        if (maxAgeSeconds < 0) {
            throw new MeshConfigException("cors.max-age", maxAgeSeconds + " (expected: >= 0)");
        }
    }

    public static CorsSpec none() {
        return new CorsSpec(List.of(), false, 3600);
    }
}
