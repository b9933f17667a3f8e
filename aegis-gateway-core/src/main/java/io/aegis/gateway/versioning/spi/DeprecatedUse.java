package io.aegis.gateway.versioning.spi;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;

/**
 * One client's use of a deprecated API version close to its sunset.
 *
 * @param client the client key: {@code api-key:<id>}, {@code sub:<subject>} or {@code ip:<address>}
 * @param version the deprecated version's id
 * @param route the route called (its id, e.g. {@code GET /api/v1/users/{id}})
 * @param sunset when the version is sunset
 * @param daysToSunset whole days left until the sunset (0 on its last day)
 * @param successor the version to move to, or {@code null}
 * @param migrationGuide the migration guide, or {@code null}
 * @param time when the call completed
 */
public record DeprecatedUse(String client, String version, String route, Instant sunset, long daysToSunset,
                            String successor, URI migrationGuide, Instant time) {

    public DeprecatedUse {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(route, "route");
        Objects.requireNonNull(sunset, "sunset");
        Objects.requireNonNull(time, "time");
    }
}
