package io.aegis.gateway.mesh;

import java.util.List;

/**
 * How callers authenticate, as the mesh and the edge need it: the token issuer, its JWKS URI and
 * the accepted audiences (Istio {@code RequestAuthentication}, Kong {@code jwt}), and the API key
 * header (Kong {@code key-auth}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param issuer the required {@code iss}, or {@code null} when the service accepts no JWT
 * @param jwksUri where the issuer publishes its keys, or {@code null}
 * @param audiences the accepted audiences (sorted)
 * @param apiKeyHeader the header carrying API keys
 */
@UnstableApi
public record MeshAuth(String issuer, String jwksUri, List<String> audiences, String apiKeyHeader) {

    public MeshAuth {
        audiences = audiences == null ? List.of() : audiences.stream().sorted().toList();
        apiKeyHeader = apiKeyHeader == null ? "X-API-Key" : apiKeyHeader;
    }

    /** No JWT, API keys in {@code X-API-Key}. */
    public static MeshAuth none() {
        return new MeshAuth(null, null, List.of(), null);
    }
}
