package io.aegis.gateway.versioning;

import java.util.Locale;

/** Where the version of a request came from. */
public enum VersionSource {
    /** A path segment after the versioned prefix: {@code /api/v2/users}. */
    PATH,
    /** A request header, {@code Api-Version: v2} (or {@code 2}) by default. */
    HEADER,
    /** A {@code version} parameter of the versioned media type in {@code Accept} or {@code Content-Type}. */
    MEDIA_TYPE,
    /** None of the sources named a version: the service's default version applies. Not a configurable source. */
    DEFAULT;

    /** The name used in configuration: {@code path}, {@code header}, {@code media-type}, {@code default}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
