package io.aegis.gateway.mesh.extauthz;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import java.util.Locale;
import java.util.Objects;

/**
 * Settings of the ext_authz sidecar, read from the same configuration as the library
 * ({@code aegis.ext-authz.*}, see {@code docs/configuration.md}) or built in code.
 *
 * <p>Defaults: listens on {@code 0.0.0.0:9191}; Envoy's {@code path_prefix} is {@code /ext-authz};
 * the client is the socket peer (Envoy), so the library's trusted-proxy rules read
 * {@code X-Forwarded-For}/{@code Forwarded} when Envoy's address is in
 * {@code aegis.network.trusted-proxies}; with {@code client-address-header=x-envoy-external-address}
 * the address Envoy determined at the edge is taken instead.
 *
 * <p>Immutable and thread-safe.
 *
 * @param host the address to bind
 * @param port the port, 0 for any free one
 * @param pathPrefix the prefix Envoy puts before the original path ({@code /ext-authz}); checks
 *     arrive under it, the sidecar's own {@code /health} endpoints outside it
 * @param clientAddressHeader {@code null} (the socket peer) or {@code x-envoy-external-address}
 */
public record ExtAuthzSettings(String host, int port, String pathPrefix, String clientAddressHeader) {

    /** The header Envoy sets to the client address it trusts at the edge. */
    public static final String ENVOY_EXTERNAL_ADDRESS = "x-envoy-external-address";

    /**
     * @throws IllegalArgumentException when a value is out of range
     */
    public ExtAuthzSettings {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
        if (pathPrefix == null || !pathPrefix.matches("(/[A-Za-z0-9._~-]+)+")) {
            throw new IllegalArgumentException("path-prefix: '" + pathPrefix + "' (expected: a path without a trailing '/', e.g. /ext-authz)");
        }
        if (pathPrefix.equals("/health") || pathPrefix.startsWith("/health/")) {
            throw new IllegalArgumentException("path-prefix: '" + pathPrefix + "' (expected: outside /health, where the sidecar's own probes are)");
        }
        if (clientAddressHeader != null) {
            clientAddressHeader = clientAddressHeader.toLowerCase(Locale.ROOT);
            if (!clientAddressHeader.equals(ENVOY_EXTERNAL_ADDRESS)) {
                throw new IllegalArgumentException("client-address-header: '" + clientAddressHeader
                        + "' (expected: " + ENVOY_EXTERNAL_ADDRESS + ", or unset for the socket peer)");
            }
        }
    }

    public static ExtAuthzSettings defaults() {
        return new ExtAuthzSettings("0.0.0.0", 9191, "/ext-authz", null);
    }

    /** The same settings on another port. */
    public ExtAuthzSettings withPort(int newPort) {
        return new ExtAuthzSettings(host, newPort, pathPrefix, clientAddressHeader);
    }

    /**
     * Reads {@code aegis.ext-authz.host}, {@code .port}, {@code .path-prefix},
     * {@code .client-address-header}.
     *
     * @throws ConfigException naming the key, the value and the rule
     */
    public static ExtAuthzSettings from(AegisConfig c) {
        ExtAuthzSettings d = defaults();
        String host = c.stringOr("aegis.ext-authz.host", d.host());
        int port = c.integer("aegis.ext-authz.port", d.port(), 0, 65535);
        String prefix = c.stringOr("aegis.ext-authz.path-prefix", d.pathPrefix());
        String header = c.string("aegis.ext-authz.client-address-header").filter(s -> !s.equalsIgnoreCase("none"))
                .orElse(null);
        try {
            return new ExtAuthzSettings(host, port, prefix, header);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().startsWith("path-prefix") ? "aegis.ext-authz.path-prefix"
                    : e.getMessage().startsWith("client") ? "aegis.ext-authz.client-address-header" : "aegis.ext-authz";
            throw new ConfigException(key, null, e.getMessage(), e);
        }
    }
}
