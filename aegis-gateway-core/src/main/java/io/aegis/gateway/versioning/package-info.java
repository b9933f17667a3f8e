/**
 * API version lifecycle: the version catalogue ({@link io.aegis.gateway.versioning.ApiVersion},
 * {@link io.aegis.gateway.versioning.VersioningSettings}), resolution and routing of each request
 * to a version ({@link io.aegis.gateway.versioning.VersionPolicy}), deprecation and sunset headers
 * (RFC 9745, RFC 8594), brownouts, usage tracking and reports
 * ({@link io.aegis.gateway.versioning.VersionManager}). Status derives from dates and the injected
 * clock. The guideline is {@code docs/versioning.md}.
 */
package io.aegis.gateway.versioning;
