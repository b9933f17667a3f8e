package io.aegis.gateway.versioning;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;

/**
 * One version of a service's API and its lifecycle: {@code v1}, released on a date, deprecated on
 * a date, sunset on a date, with a successor version and a migration guide.
 *
 * <p>The {@linkplain #status(Instant) status} derives from the dates and the time asked about:
 * {@link VersionStatus#SUNSET} from the sunset date, else {@link VersionStatus#DEPRECATED} from the
 * deprecation date, else {@link VersionStatus#ACTIVE}. Nobody flips it by hand; for emergencies a
 * {@linkplain #forcedStatus() forced status} overrides the dates.
 *
 * <p>Every field but the id is optional, so that a declaration can be partial: the configuration
 * may override only the sunset date of a version declared by {@code @ApiVersion} annotations
 * ({@link #overriding(ApiVersion)}). {@link Builder#build()} checks the rules one version can
 * break on its own (dates in order, successor not itself, guide link syntax); the rules that
 * involve the whole catalogue are checked by {@link VersionManager#validate}.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiVersion {

    private final String id;
    private final int number;
    private final Instant release;
    private final Instant deprecation;
    private final Instant sunset;
    private final String successor;
    private final URI migrationGuide;
    private final VersionStatus forcedStatus;
    private final Brownout brownout;

    private ApiVersion(Builder b) {
        this.id = b.id;
        this.number = number(b.id);
        this.release = b.release;
        this.deprecation = b.deprecation;
        this.sunset = b.sunset;
        this.successor = b.successor;
        this.migrationGuide = b.migrationGuide;
        this.forcedStatus = b.forcedStatus;
        this.brownout = b.brownout == null || b.brownout.isEmpty() ? null : b.brownout;
    }

    /**
     * Starts a version.
     *
     * @param id {@code v} followed by a number without leading zeros: {@code v1}, {@code v2}, {@code v10}
     * @throws IllegalArgumentException for another id
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    /** A copy of this version with changes. */
    public Builder toBuilder() {
        Builder b = new Builder(id);
        b.release = release;
        b.deprecation = deprecation;
        b.sunset = sunset;
        b.successor = successor;
        b.migrationGuide = migrationGuide;
        b.forcedStatus = forcedStatus;
        b.brownout = brownout;
        return b;
    }

    /** {@code true} for a canonical version id: {@code v} and a number without leading zeros. */
    public static boolean isValidId(String id) {
        if (id == null || id.length() < 2 || id.length() > 10 || id.charAt(0) != 'v') {
            return false;
        }
        if (id.charAt(1) == '0' && id.length() > 2) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * The canonical id of a version as a client may write it: {@code v2}, {@code V2}, {@code 2} or
     * {@code v02} all give {@code v2}. Only ASCII digits count (no full-width or other Unicode
     * digits).
     *
     * @return the canonical id, or {@code null} when the text is not a version
     */
    public static String normalizeId(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        int start = !t.isEmpty() && (t.charAt(0) == 'v' || t.charAt(0) == 'V') ? 1 : 0;
        if (t.length() - start < 1 || t.length() - start > 9) {
            return null;
        }
        int n = 0;
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            n = n * 10 + (c - '0');
        }
        return "v" + n;
    }

    /**
     * Parses a date as configuration and annotations write it: an ISO-8601 date
     * ({@code 2026-12-31}, meaning its start in UTC) or date-time with offset
     * ({@code 2026-12-31T12:00:00Z}, {@code 2026-12-31T21:00:00+09:00}).
     *
     * @throws IllegalArgumentException naming the text and the expected forms
     */
    public static Instant parseInstant(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        try {
            if (t.length() == 10) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("date '" + text
                    + "' (expected: an ISO-8601 date such as 2026-12-31, or a date-time with offset such as 2026-12-31T00:00:00Z)", e);
        }
    }

    public String id() {
        return id;
    }

    /** The number of the id ({@code 2} for {@code v2}); versions are ordered by it. */
    public int number() {
        return number;
    }

    /** When the version was released, or {@code null}. Informational. */
    public Instant release() {
        return release;
    }

    /** When the version is (or was) deprecated, or {@code null}. */
    public Instant deprecation() {
        return deprecation;
    }

    /** When the version is (or was) sunset, or {@code null}. */
    public Instant sunset() {
        return sunset;
    }

    /** The id of the version clients should move to, or {@code null}. */
    public String successor() {
        return successor;
    }

    /** The migration guide to the successor, or {@code null}. */
    public URI migrationGuide() {
        return migrationGuide;
    }

    /** The status configured for emergencies, or {@code null} when the dates decide. */
    public VersionStatus forcedStatus() {
        return forcedStatus;
    }

    /** The brownouts planned before the sunset, or {@code null}. */
    public Brownout brownout() {
        return brownout;
    }

    /** The status at a point in time: the forced one, else from the dates. */
    public VersionStatus status(Instant now) {
        if (forcedStatus != null) {
            return forcedStatus;
        }
        if (sunset != null && !now.isBefore(sunset)) {
            return VersionStatus.SUNSET;
        }
        if (deprecation != null && !now.isBefore(deprecation)) {
            return VersionStatus.DEPRECATED;
        }
        return VersionStatus.ACTIVE;
    }

    /**
     * This version's fields laid over {@code base}: each field set here wins, each field unset here
     * is taken from {@code base}. The configuration overrides code declarations this way.
     *
     * <p>When a date set here contradicts a date of {@code base} (the configuration moves the
     * sunset before the deprecation declared in code, say, to retire a version now), this
     * version's date wins and the contradicting date of {@code base} is dropped, with a warning in
     * the log: an emergency override must not stop the service from starting. Dates that
     * contradict each other within one declaration are an error.
     *
     * @throws IllegalArgumentException when the ids differ, or this declaration breaks a rule on its own
     */
    public ApiVersion overriding(ApiVersion base) {
        if (!base.id.equals(id)) {
            throw new IllegalArgumentException("cannot merge version " + id + " over " + base.id);
        }
        Builder b = base.toBuilder();
        if (release != null) {
            b.release = release;
        }
        if (deprecation != null) {
            b.deprecation = deprecation;
        }
        if (sunset != null) {
            b.sunset = sunset;
        }
        if (successor != null) {
            b.successor = successor;
        }
        if (migrationGuide != null) {
            b.migrationGuide = migrationGuide;
        }
        if (forcedStatus != null) {
            b.forcedStatus = forcedStatus;
        }
        if (brownout != null) {
            b.brownout = brownout;
        }
        // A date set here wins over a contradicting date of the base.
        if (sunset != null && deprecation == null && b.deprecation != null && !sunset.isAfter(b.deprecation)) {
            warnDropped("sunset", sunset, "deprecation", b.deprecation);
            b.deprecation = null;
        }
        if ((sunset != null || deprecation != null) && release == null && b.release != null) {
            Instant first = deprecation != null ? deprecation : sunset;
            boolean contradicts = deprecation != null ? first.isBefore(b.release) : !first.isAfter(b.release);
            if (contradicts) {
                warnDropped(deprecation != null ? "deprecation" : "sunset", first, "release", b.release);
                b.release = null;
            }
        }
        if (deprecation != null && sunset == null && b.sunset != null && !b.sunset.isAfter(deprecation)) {
            warnDropped("deprecation", deprecation, "sunset", b.sunset);
            b.sunset = null;
        }
        return b.build();
    }

    private void warnDropped(String field, Instant value, String droppedField, Instant dropped) {
        System.getLogger(ApiVersion.class.getName()).log(System.Logger.Level.WARNING, "API version " + id
                + ": the configured " + field + " " + value + " contradicts the declared " + droppedField + " "
                + dropped + "; the configured date wins and the declared " + droppedField + " is ignored");
    }

    /**
     * Two declarations of the same version combined: fields set in only one are taken, fields set
     * in both must agree.
     *
     * @throws IllegalArgumentException naming the field and both values when they disagree
     */
    public ApiVersion combine(ApiVersion other) {
        if (!other.id.equals(id)) {
            throw new IllegalArgumentException("cannot combine version " + id + " with " + other.id);
        }
        Builder b = toBuilder();
        b.release = agree("release", release, other.release);
        b.deprecation = agree("deprecation", deprecation, other.deprecation);
        b.sunset = agree("sunset", sunset, other.sunset);
        b.successor = agree("successor", successor, other.successor);
        b.migrationGuide = agree("migration-guide", migrationGuide, other.migrationGuide);
        b.forcedStatus = agree("status", forcedStatus, other.forcedStatus);
        b.brownout = agree("brownout", brownout, other.brownout);
        return b.build();
    }

    private <T> T agree(String field, T a, T b) {
        if (a != null && b != null && !a.equals(b)) {
            throw new IllegalArgumentException("API version " + id + " is declared twice with different " + field
                    + ": " + a + " and " + b + " (expected: one value)");
        }
        return a != null ? a : b;
    }

    private static int number(String id) {
        return Integer.parseInt(id.substring(1));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiVersion v && v.id.equals(id) && Objects.equals(v.release, release)
                && Objects.equals(v.deprecation, deprecation) && Objects.equals(v.sunset, sunset)
                && Objects.equals(v.successor, successor) && Objects.equals(v.migrationGuide, migrationGuide)
                && v.forcedStatus == forcedStatus && Objects.equals(v.brownout, brownout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, release, deprecation, sunset, successor, migrationGuide, forcedStatus, brownout);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ApiVersion[").append(id);
        if (release != null) {
            sb.append(", release ").append(release);
        }
        if (deprecation != null) {
            sb.append(", deprecation ").append(deprecation);
        }
        if (sunset != null) {
            sb.append(", sunset ").append(sunset);
        }
        if (successor != null) {
            sb.append(", successor ").append(successor);
        }
        if (forcedStatus != null) {
            sb.append(", forced ").append(forcedStatus.id());
        }
        return sb.append(']').toString();
    }

    /** Builds an {@link ApiVersion}. Not thread-safe. Every field but the id defaults to unset. */
    public static final class Builder {
        private final String id;
        private Instant release;
        private Instant deprecation;
        private Instant sunset;
        private String successor;
        private URI migrationGuide;
        private VersionStatus forcedStatus;
        private Brownout brownout;

        private Builder(String id) {
            if (!isValidId(id)) {
                throw new IllegalArgumentException("API version id '" + id
                        + "' (expected: v followed by a number without leading zeros, e.g. v1, v2, v10)");
            }
            this.id = id;
        }

        public Builder release(Instant release) {
            this.release = release;
            return this;
        }

        public Builder deprecation(Instant deprecation) {
            this.deprecation = deprecation;
            return this;
        }

        public Builder sunset(Instant sunset) {
            this.sunset = sunset;
            return this;
        }

        /**
         * @throws IllegalArgumentException when not a version id
         */
        public Builder successor(String successor) {
            if (successor != null && !isValidId(successor)) {
                throw new IllegalArgumentException("API version " + id + ": successor '" + successor
                        + "' (expected: a version id such as v2)");
            }
            this.successor = successor;
            return this;
        }

        /**
         * The migration guide: an absolute {@code http}/{@code https} URL, or a path on this service
         * starting with {@code /}.
         *
         * @throws IllegalArgumentException for anything else (including text that would break the
         *     {@code Link} header: spaces, quotes, angle brackets, control characters)
         */
        public Builder migrationGuide(String link) {
            if (link == null) {
                this.migrationGuide = null;
                return this;
            }
            URI uri;
            try {
                uri = new URI(link.trim());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("API version " + id + ": migration guide '" + link
                        + "' (expected: an http(s) URL or a path starting with /): " + e.getReason(), e);
            }
            return migrationGuide(uri);
        }

        /** @throws IllegalArgumentException unless an absolute http(s) URI or an absolute path */
        public Builder migrationGuide(URI link) {
            if (link != null) {
                String scheme = link.getScheme() == null ? null : link.getScheme().toLowerCase(Locale.ROOT);
                boolean absolute = ("http".equals(scheme) || "https".equals(scheme)) && link.getHost() != null;
                boolean path = scheme == null && link.getRawAuthority() == null && link.getRawPath() != null
                        && link.getRawPath().startsWith("/");
                if (!absolute && !path) {
                    throw new IllegalArgumentException("API version " + id + ": migration guide '" + link
                            + "' (expected: an http(s) URL or a path starting with /)");
                }
            }
            this.migrationGuide = link;
            return this;
        }

        /** Forces the status whatever the dates say; {@code null} (default): the dates decide. */
        public Builder forcedStatus(VersionStatus status) {
            this.forcedStatus = status;
            return this;
        }

        public Builder brownout(Brownout brownout) {
            this.brownout = brownout;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the dates are out of order (deprecation before
         *     release, sunset not after deprecation or release) or the version succeeds itself
         */
        public ApiVersion build() {
            if (release != null && deprecation != null && deprecation.isBefore(release)) {
                throw new IllegalArgumentException("API version " + id + ": deprecation " + deprecation
                        + " is before its release " + release + " (expected: deprecation on or after release)");
            }
            if (deprecation != null && sunset != null && !sunset.isAfter(deprecation)) {
                throw new IllegalArgumentException("API version " + id + ": sunset " + sunset
                        + " is not after its deprecation " + deprecation + " (expected: sunset after deprecation)");
            }
            if (release != null && sunset != null && !sunset.isAfter(release)) {
                throw new IllegalArgumentException("API version " + id + ": sunset " + sunset
                        + " is not after its release " + release + " (expected: sunset after release)");
            }
            if (id.equals(successor)) {
                throw new IllegalArgumentException("API version " + id + " names itself as successor (expected: a newer version)");
            }
            return new ApiVersion(this);
        }
    }
}
