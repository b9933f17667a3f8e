package io.aegis.gateway.apikey;

import java.time.Instant;
import java.util.List;

/**
 * The usage of a key over a time range: totals and the hourly rows per route and version,
 * including what was recorded in this process but not yet flushed to the store.
 *
 * @param keyId the key
 * @param from the start of the range (inclusive, rounded down to the hour)
 * @param to the end of the range (exclusive)
 * @param requests total requests
 * @param errors total requests answered with a status of 400 or above
 * @param lastUsedAt the last use in the range, or {@code null}
 * @param rows hourly rows, oldest first
 */
public record ApiKeyUsageReport(String keyId, Instant from, Instant to, long requests, long errors, Instant lastUsedAt,
                                List<ApiKeyUsage> rows) {

    public ApiKeyUsageReport {
        rows = List.copyOf(rows);
    }
}
