package io.aegis.gateway.versioning;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A service's API versions and how requests name them: the version catalogue (every
 * {@link ApiVersion} and the default one), the sources a request's version is read from and in
 * which order, the header and media type used, the path prefix under which versions appear as a
 * segment, and the usage-tracking limits. Part of the
 * {@link io.aegis.gateway.policy.ServicePolicy}; the mesh projections read the catalogue from here.
 *
 * <p>Versioning is on when the catalogue holds at least one version. Defaults: sources
 * {@code path, header, media-type}; header {@value #DEFAULT_HEADER}; media type
 * {@value #DEFAULT_MEDIA_TYPE}; path prefix {@value #DEFAULT_PATH_PREFIX}; alert
 * {@value #DEFAULT_ALERT_DAYS} days before a sunset; {@value #DEFAULT_MAX_TRACKED} usage counters.
 *
 * <p>Immutable and thread-safe. {@link Builder#build()} checks the syntax of each setting; the
 * catalogue as a whole (successors exist, one default, routes) is checked by
 * {@link VersionManager#validate}.
 */
public final class VersioningSettings {

    /** The request header naming a version, unless configured otherwise. */
    public static final String DEFAULT_HEADER = "Api-Version";
    /** The media type whose {@code version} parameter names a version, unless configured otherwise. */
    public static final String DEFAULT_MEDIA_TYPE = "application/vnd.aegis+json";
    /** The path prefix after which the version segment appears, unless configured otherwise. */
    public static final String DEFAULT_PATH_PREFIX = "/api/";
    /** The response header naming the older version that served a request for a newer one. */
    public static final String FALLBACK_HEADER = "Api-Version-Fallback";
    /** How many days before a sunset the deprecated-use listener fires. */
    public static final int DEFAULT_ALERT_DAYS = 30;
    /** How many version × route × client counters are kept. */
    public static final int DEFAULT_MAX_TRACKED = 10_000;

    private static final VersioningSettings NONE = builder().build();

    private final Map<String, ApiVersion> versions;
    private final List<ApiVersion> ordered;
    private final String defaultVersion;
    private final List<VersionSource> sources;
    private final String header;
    private final String mediaType;
    private final String pathPrefix;
    private final List<String> prefixSegments;
    private final int alertDays;
    private final int maxTracked;

    private VersioningSettings(Builder b) {
        List<ApiVersion> sorted = new ArrayList<>(b.versions.values());
        sorted.sort(Comparator.comparingInt(ApiVersion::number));
        Map<String, ApiVersion> m = new LinkedHashMap<>();
        sorted.forEach(v -> m.put(v.id(), v));
        this.versions = java.util.Collections.unmodifiableMap(m);
        this.ordered = List.copyOf(sorted);
        this.defaultVersion = b.defaultVersion;
        this.sources = List.copyOf(b.sources);
        this.header = b.header;
        this.mediaType = b.mediaType;
        this.pathPrefix = b.pathPrefix;
        List<String> segs = new ArrayList<>();
        for (String s : pathPrefix.split("/")) {
            if (!s.isEmpty()) {
                segs.add(s);
            }
        }
        this.prefixSegments = List.copyOf(segs);
        this.alertDays = b.alertDays;
        this.maxTracked = b.maxTracked;
    }

    /** No versions: versioning off. */
    public static VersioningSettings none() {
        return NONE;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.versions.putAll(versions);
        b.defaultVersion = defaultVersion;
        b.sources = sources;
        b.header = header;
        b.mediaType = mediaType;
        b.pathPrefix = pathPrefix;
        b.alertDays = alertDays;
        b.maxTracked = maxTracked;
        return b;
    }

    /** {@code true} when the catalogue holds a version: requests are then resolved to versions. */
    public boolean enabled() {
        return !versions.isEmpty();
    }

    /** Every version, oldest (lowest number) first. */
    public List<ApiVersion> versions() {
        return ordered;
    }

    /** The version with this id, or {@code null}. */
    public ApiVersion version(String id) {
        return id == null ? null : versions.get(id);
    }

    /** The declared default version's id, or {@code null} when none was declared. */
    public String declaredDefault() {
        return defaultVersion;
    }

    /**
     * The version requests that name none get: the declared default, else the newest version
     * that is not sunset at {@code now}; {@code null} when there is none.
     */
    public ApiVersion defaultVersion(Instant now) {
        if (defaultVersion != null) {
            return versions.get(defaultVersion);
        }
        List<ApiVersion> all = versions();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).status(now) != VersionStatus.SUNSET) {
                return all.get(i);
            }
        }
        return null;
    }

    /** The versions older than {@code version}, nearest first. */
    public List<ApiVersion> olderThan(ApiVersion version) {
        List<ApiVersion> out = new ArrayList<>();
        List<ApiVersion> all = versions();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).number() < version.number()) {
                out.add(all.get(i));
            }
        }
        return out;
    }

    /** The sources a request's version is read from, first match wins. */
    public List<VersionSource> sources() {
        return sources;
    }

    /** The request header naming the version (also set on responses). */
    public String header() {
        return header;
    }

    /** The media type (lower case) whose {@code version} parameter names the version. */
    public String mediaType() {
        return mediaType;
    }

    /** The path prefix after which the version segment appears, e.g. {@code /api/}. */
    public String pathPrefix() {
        return pathPrefix;
    }

    /** The segments of {@link #pathPrefix()}: {@code [api]} for {@code /api/}. */
    public List<String> prefixSegments() {
        return prefixSegments;
    }

    /** How many days before a sunset a deprecated version's use is reported to the listeners. */
    public int alertDays() {
        return alertDays;
    }

    /** How many version × route × client usage counters are kept at most. */
    public int maxTracked() {
        return maxTracked;
    }

    /**
     * These settings over code declarations: each version declared here is laid over the code's
     * declaration of the same id ({@link ApiVersion#overriding}), versions only one side declares
     * are kept, the default declared here wins over the code's. Every other setting is this one's.
     *
     * @throws IllegalArgumentException when a merged version breaks a rule
     */
    public VersioningSettings overriding(VersioningSettings code) {
        if (code.versions.isEmpty() && code.defaultVersion == null) {
            return this;
        }
        Builder b = toBuilder();
        b.versions.clear();
        b.versions.putAll(code.versions);
        for (ApiVersion v : versions.values()) {
            ApiVersion base = code.versions.get(v.id());
            b.versions.put(v.id(), base == null ? v : v.overriding(base));
        }
        b.defaultVersion = defaultVersion != null ? defaultVersion : code.defaultVersion;
        return b.build();
    }

    /**
     * Two sets of code declarations combined (several annotated classes): versions of the same id
     * must agree field by field ({@link ApiVersion#combine}), and at most one default may be
     * declared.
     *
     * @throws IllegalArgumentException naming the version and field, or both defaults
     */
    public VersioningSettings combine(VersioningSettings other) {
        Builder b = toBuilder();
        for (ApiVersion v : other.versions.values()) {
            ApiVersion mine = b.versions.get(v.id());
            b.versions.put(v.id(), mine == null ? v : mine.combine(v));
        }
        if (other.defaultVersion != null) {
            if (defaultVersion != null && !defaultVersion.equals(other.defaultVersion)) {
                throw new IllegalArgumentException("the default API version is declared as both " + defaultVersion
                        + " and " + other.defaultVersion + " (expected: exactly one default version)");
            }
            b.defaultVersion = other.defaultVersion;
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersioningSettings s && s.versions.equals(versions)
                && Objects.equals(s.defaultVersion, defaultVersion) && s.sources.equals(sources)
                && s.header.equals(header) && s.mediaType.equals(mediaType) && s.pathPrefix.equals(pathPrefix)
                && s.alertDays == alertDays && s.maxTracked == maxTracked;
    }

    @Override
    public int hashCode() {
        return Objects.hash(versions, defaultVersion, sources, header, mediaType, pathPrefix, alertDays, maxTracked);
    }

    @Override
    public String toString() {
        return "VersioningSettings[" + versions.keySet() + (defaultVersion == null ? "" : ", default " + defaultVersion)
                + ", sources " + sources + "]";
    }

    /** Builds {@link VersioningSettings}. Not thread-safe. */
    public static final class Builder {
        private final Map<String, ApiVersion> versions = new LinkedHashMap<>();
        private String defaultVersion;
        private List<VersionSource> sources = List.of(VersionSource.PATH, VersionSource.HEADER, VersionSource.MEDIA_TYPE);
        private String header = DEFAULT_HEADER;
        private String mediaType = DEFAULT_MEDIA_TYPE;
        private String pathPrefix = DEFAULT_PATH_PREFIX;
        private int alertDays = DEFAULT_ALERT_DAYS;
        private int maxTracked = DEFAULT_MAX_TRACKED;

        private Builder() {
        }

        /**
         * Adds a version to the catalogue.
         *
         * @throws IllegalArgumentException when a version of the same id is already there
         */
        public Builder version(ApiVersion version) {
            Objects.requireNonNull(version, "version");
            if (versions.putIfAbsent(version.id(), version) != null) {
                throw new IllegalArgumentException("API version " + version.id() + " is declared twice (expected: once)");
            }
            return this;
        }

        public Builder versions(Collection<ApiVersion> more) {
            more.forEach(this::version);
            return this;
        }

        /**
         * The version of requests that name none; {@code null} (default): the newest version that
         * is not sunset.
         *
         * @throws IllegalArgumentException when not a version id
         */
        public Builder defaultVersion(String id) {
            if (id != null && !ApiVersion.isValidId(id)) {
                throw new IllegalArgumentException("default version '" + id + "' (expected: a version id such as v2)");
            }
            this.defaultVersion = id;
            return this;
        }

        /**
         * Where a request's version is read from, in order; the first that names one wins.
         *
         * @throws IllegalArgumentException when empty, repeated or naming {@link VersionSource#DEFAULT}
         */
        public Builder sources(List<VersionSource> order) {
            if (order.isEmpty()) {
                throw new IllegalArgumentException("sources: [] (expected: at least one of path, header, media-type)");
            }
            Set<VersionSource> seen = new LinkedHashSet<>();
            for (VersionSource s : order) {
                if (s == VersionSource.DEFAULT) {
                    throw new IllegalArgumentException("sources: default (expected: path, header or media-type; "
                            + "the default version applies when none names a version)");
                }
                if (!seen.add(s)) {
                    throw new IllegalArgumentException("sources: " + s.id() + " named twice (expected: each at most once)");
                }
            }
            this.sources = List.copyOf(order);
            return this;
        }

        /**
         * The request header naming the version.
         *
         * @throws IllegalArgumentException when not an HTTP token
         */
        public Builder header(String name) {
            if (name == null || !name.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}")) {
                throw new IllegalArgumentException("header '" + name + "' (expected: an HTTP header name such as Api-Version)");
            }
            this.header = name;
            return this;
        }

        /**
         * The media type whose {@code version} parameter names the version.
         *
         * @throws IllegalArgumentException when not {@code type/subtype}
         */
        public Builder mediaType(String type) {
            String tok = "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}";
            if (type == null || !type.trim().matches(tok + "/" + tok)) {
                throw new IllegalArgumentException("media type '" + type
                        + "' (expected: type/subtype without parameters, e.g. application/vnd.aegis+json)");
            }
            this.mediaType = type.trim().toLowerCase(Locale.ROOT);
            return this;
        }

        /**
         * The path prefix after which the version segment appears: {@code /api/} for
         * {@code /api/v1/users}, {@code /} for {@code /v1/users}.
         *
         * @throws IllegalArgumentException unless literal segments starting with {@code /}
         */
        public Builder pathPrefix(String prefix) {
            if (prefix == null || !prefix.startsWith("/") || !prefix.matches("/([A-Za-z0-9._~!$&'()*+,;=:@-]+/?)*")
                    || prefix.contains("//")) {
                throw new IllegalArgumentException("path prefix '" + prefix
                        + "' (expected: literal path segments starting with /, e.g. /api/)");
            }
            this.pathPrefix = prefix.endsWith("/") ? prefix : prefix + "/";
            return this;
        }

        /**
         * How many days before a sunset the use of a deprecated version is reported.
         *
         * @throws IllegalArgumentException outside 0..3650
         */
        public Builder alertDays(int days) {
            if (days < 0 || days > 3650) {
                throw new IllegalArgumentException("alert days: " + days + " (expected: 0..3650)");
            }
            this.alertDays = days;
            return this;
        }

        /**
         * How many version × route × client usage counters are kept; calls of further clients
         * are counted under the client {@code (other)}.
         *
         * @throws IllegalArgumentException outside 1..10,000,000
         */
        public Builder maxTracked(int max) {
            if (max < 1 || max > 10_000_000) {
                throw new IllegalArgumentException("max tracked: " + max + " (expected: 1..10000000)");
            }
            this.maxTracked = max;
            return this;
        }

        public VersioningSettings build() {
            return new VersioningSettings(this);
        }
    }
}
