package io.aegis.gateway.versioning;

import io.aegis.gateway.pipeline.AttributeKey;
import java.util.Objects;

/**
 * The API version of one request, as the {@link VersionPolicy} resolved it; an exchange
 * attribute ({@link #ATTRIBUTE}) that later policies, metrics and adapters read.
 *
 * @param version the requested version (or the default one)
 * @param status its status when the request arrived
 * @param source where the version came from
 * @param servedBy the id of the version whose route serves the request: the requested one, or
 *     an older one when the request fell back to it
 */
public record ResolvedVersion(ApiVersion version, VersionStatus status, VersionSource source, String servedBy) {

    /** The exchange attribute holding the resolved version; absent when the request is not versioned. */
    public static final AttributeKey<ResolvedVersion> ATTRIBUTE = AttributeKey.of("aegis.api.version", ResolvedVersion.class);

    public ResolvedVersion {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(servedBy, "servedBy");
    }

    /** The requested version's id. */
    public String id() {
        return version.id();
    }

    /** {@code true} when an older version's route serves the request. */
    public boolean fellBack() {
        return !servedBy.equals(version.id());
    }
}
