package io.aegis.gateway.apikey;

import java.time.Instant;
import java.util.Objects;

/**
 * Usage of one key on one route and API version during one hour: requests, how many failed
 * (status 400 and above) and the last use.
 *
 * @param keyId the key
 * @param periodStart the start of the hour (UTC)
 * @param route the route id, e.g. {@code GET /api/v1/users/{id}}
 * @param version the API version of the route, or {@code ""} when it has none
 * @param requests requests answered
 * @param errors of which answered with a status of 400 or above
 * @param lastUsedAt the last request in the period
 */
public record ApiKeyUsage(String keyId, Instant periodStart, String route, String version, long requests, long errors,
                          Instant lastUsedAt) {

    public ApiKeyUsage {
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(periodStart, "periodStart");
        Objects.requireNonNull(route, "route");
        version = version == null ? "" : version;
        Objects.requireNonNull(lastUsedAt, "lastUsedAt");
    }

    /** The sum of two records of the same key, period, route and version. */
    public ApiKeyUsage plus(ApiKeyUsage other) {
        return new ApiKeyUsage(keyId, periodStart, route, version, requests + other.requests, errors + other.errors,
                lastUsedAt.isAfter(other.lastUsedAt) ? lastUsedAt : other.lastUsedAt);
    }
}
