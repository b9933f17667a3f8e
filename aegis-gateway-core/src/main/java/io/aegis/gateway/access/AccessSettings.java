package io.aegis.gateway.access;

import io.aegis.gateway.network.Cidr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Who may connect at all: IP allow and deny lists (CIDR, IPv4 and IPv6) from configuration and
 * from files re-read when they change, geo rules by country over a user-provided MaxMind database,
 * and threat-intelligence feeds. An address on an allow list is always let through (allow beats
 * deny, geo, feeds and bans). Defaults: nothing listed, files checked every 5s, unknown countries
 * allowed.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class AccessSettings {

    private static final AccessSettings DEFAULTS = builder().build();

    private final List<Cidr> allow;
    private final List<Cidr> deny;
    private final List<Path> allowFiles;
    private final List<Path> denyFiles;
    private final Duration fileCheckInterval;
    private final Path geoDatabase;
    private final Set<String> allowCountries;
    private final Set<String> denyCountries;
    private final boolean allowUnknownCountry;
    private final List<FeedSettings> feeds;

    private AccessSettings(Builder b) {
        this.allow = List.copyOf(b.allow);
        this.deny = List.copyOf(b.deny);
        this.allowFiles = List.copyOf(b.allowFiles);
        this.denyFiles = List.copyOf(b.denyFiles);
        this.fileCheckInterval = b.fileCheckInterval;
        this.geoDatabase = b.geoDatabase;
        this.allowCountries = Set.copyOf(b.allowCountries);
        this.denyCountries = Set.copyOf(b.denyCountries);
        this.allowUnknownCountry = b.allowUnknownCountry;
        this.feeds = List.copyOf(b.feeds);
    }

    public static AccessSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code true} when any rule is configured. */
    public boolean active() {
        return !allow.isEmpty() || !deny.isEmpty() || !allowFiles.isEmpty() || !denyFiles.isEmpty()
                || !allowCountries.isEmpty() || !denyCountries.isEmpty() || !feeds.isEmpty();
    }

    public List<Cidr> allow() {
        return allow;
    }

    public List<Cidr> deny() {
        return deny;
    }

    public List<Path> allowFiles() {
        return allowFiles;
    }

    public List<Path> denyFiles() {
        return denyFiles;
    }

    public Duration fileCheckInterval() {
        return fileCheckInterval;
    }

    /** The MaxMind {@code .mmdb} file, or {@code null}. */
    public Path geoDatabase() {
        return geoDatabase;
    }

    /** When not empty, only these countries may connect. */
    public Set<String> allowCountries() {
        return allowCountries;
    }

    public Set<String> denyCountries() {
        return denyCountries;
    }

    /** Whether an address whose country is unknown passes an allow-countries rule (default {@code true}). */
    public boolean allowUnknownCountry() {
        return allowUnknownCountry;
    }

    public List<FeedSettings> feeds() {
        return feeds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AccessSettings a && a.allow.equals(allow) && a.deny.equals(deny)
                && a.allowFiles.equals(allowFiles) && a.denyFiles.equals(denyFiles)
                && a.fileCheckInterval.equals(fileCheckInterval) && Objects.equals(a.geoDatabase, geoDatabase)
                && a.allowCountries.equals(allowCountries) && a.denyCountries.equals(denyCountries)
                && a.allowUnknownCountry == allowUnknownCountry && a.feeds.equals(feeds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(allow, deny, allowFiles, denyFiles, fileCheckInterval, geoDatabase, allowCountries,
                denyCountries, allowUnknownCountry, feeds);
    }

    @Override
    public String toString() {
        return "AccessSettings[allow " + allow.size() + "+" + allowFiles.size() + " files, deny " + deny.size() + "+"
                + denyFiles.size() + " files, countries +" + allowCountries + " -" + denyCountries + ", "
                + feeds.size() + " feeds]";
    }

    /** Builds {@link AccessSettings}. Not thread-safe. */
    public static final class Builder {
        private final List<Cidr> allow = new ArrayList<>();
        private final List<Cidr> deny = new ArrayList<>();
        private final List<Path> allowFiles = new ArrayList<>();
        private final List<Path> denyFiles = new ArrayList<>();
        private Duration fileCheckInterval = Duration.ofSeconds(5);
        private Path geoDatabase;
        private final Set<String> allowCountries = new LinkedHashSet<>();
        private final Set<String> denyCountries = new LinkedHashSet<>();
        private boolean allowUnknownCountry = true;
        private final List<FeedSettings> feeds = new ArrayList<>();

        private Builder() {
        }

        public Builder allow(List<Cidr> networks) {
            allow.addAll(networks);
            return this;
        }

        public Builder deny(List<Cidr> networks) {
            deny.addAll(networks);
            return this;
        }

        /** A file of allowed addresses (one a line, {@code #} comments), re-read when it changes. */
        public Builder allowFile(Path file) {
            allowFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /** A file of denied addresses, re-read when it changes. */
        public Builder denyFile(Path file) {
            denyFiles.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /**
         * @throws IllegalArgumentException when shorter than 100ms
         */
        public Builder fileCheckInterval(Duration interval) {
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("fileCheckInterval: " + interval + " (expected: at least 100ms)");
            }
            this.fileCheckInterval = interval;
            return this;
        }

        public Builder geoDatabase(Path mmdb) {
            this.geoDatabase = mmdb;
            return this;
        }

        /**
         * @throws IllegalArgumentException for a code that is not two letters
         */
        public Builder allowCountries(String... codes) {
            for (String c : codes) {
                allowCountries.add(country(c));
            }
            return this;
        }

        /**
         * @throws IllegalArgumentException for a code that is not two letters
         */
        public Builder denyCountries(String... codes) {
            for (String c : codes) {
                denyCountries.add(country(c));
            }
            return this;
        }

        public Builder allowUnknownCountry(boolean allow) {
            this.allowUnknownCountry = allow;
            return this;
        }

        public Builder feed(FeedSettings feed) {
            feeds.add(Objects.requireNonNull(feed, "feed"));
            return this;
        }

        private static String country(String code) {
            String c = code.trim().toUpperCase(Locale.ROOT);
            if (!c.matches("[A-Z]{2}")) {
                throw new IllegalArgumentException("country: '" + code + "' (expected: an ISO 3166-1 alpha-2 code such as KR)");
            }
            return c;
        }

        /** Country rules need a {@link #geoDatabase(Path)} or a {@code GeoLocator} given to the gateway. */
        public AccessSettings build() {
            return new AccessSettings(this);
        }
    }
}
