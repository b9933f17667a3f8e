package io.aegis.gateway.versioning;

import io.aegis.gateway.pipeline.ProblemType;

/** The RFC 9457 problem types of API versioning (listed in {@code docs/problems.md}). */
public final class VersionProblems {

    /**
     * The request names an API version the service does not have (or a malformed one); the
     * problem lists the supported versions ({@code supported_versions}) and the default.
     */
    public static final ProblemType VERSION_NOT_FOUND = ProblemType.of("version-not-found", 404, "Unknown API version");

    /**
     * The API version is sunset (or browned out ahead of its sunset); the problem names the
     * successor ({@code successor}) and the migration guide ({@code migration_guide}).
     */
    public static final ProblemType VERSION_SUNSET = ProblemType.of("version-sunset", 410, "API version sunset");

    private VersionProblems() {
    }
}
