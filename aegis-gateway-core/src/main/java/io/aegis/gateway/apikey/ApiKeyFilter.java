package io.aegis.gateway.apikey;

/**
 * Which keys to list: all conditions that are set must hold. Results are ordered by creation time,
 * newest first.
 *
 * @param owner only this owner's keys, or {@code null}
 * @param tenant only this tenant's keys, or {@code null}
 * @param status only keys in this state, or {@code null}
 * @param limit at most this many (1 to 1000)
 */
public record ApiKeyFilter(String owner, String tenant, ApiKeyStatus status, int limit) {

    /** The most keys one listing returns. */
    public static final int MAX_LIMIT = 1000;

    public ApiKeyFilter {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: 1.." + MAX_LIMIT + ")");
        }
    }

    /** Every key, up to 100. */
    public static ApiKeyFilter all() {
        return new ApiKeyFilter(null, null, null, 100);
    }

    /** {@code true} when the key passes this filter (stores without a query language use it). */
    public boolean accepts(ApiKey k) {
        return (owner == null || owner.equals(k.owner())) && (tenant == null || tenant.equals(k.tenant()))
                && (status == null || status == k.status());
    }
}
