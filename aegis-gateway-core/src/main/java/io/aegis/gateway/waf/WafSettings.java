package io.aegis.gateway.waf;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How the WAF inspects requests. Defaults: off (the library never blocks traffic unless asked;
 * the demo turns it on), block mode, paranoia level 1, every attack type, bodies inspected up to
 * 128 KiB with larger ones refused (413), the headers {@code User-Agent}, {@code Referer},
 * {@code X-Forwarded-For}, {@code X-Forwarded-Host}, {@code X-Real-IP} and the cookies inspected.
 *
 * <p>Immutable and thread-safe; build with {@link #builder()}.
 */
public final class WafSettings {

    /** What happens to a body longer than {@link #maxBodyBytes()}. */
    public enum Oversize {
        /** Answer 413 {@code payload-too-large}: nothing uninspected reaches the application. */
        REJECT,
        /** Inspect the first {@code maxBodyBytes} and let the rest stream through uninspected. */
        INSPECT_PREFIX
    }

    /** The headers inspected by default ({@code Cookie} means each cookie value). */
    public static final List<String> DEFAULT_HEADERS = List.of("User-Agent", "Referer", "X-Forwarded-For",
            "X-Forwarded-Host", "X-Real-IP", "Cookie");

    private static final WafSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final WafMode mode;
    private final int paranoiaLevel;
    private final int maxBodyBytes;
    private final Oversize oversize;
    private final List<String> headers;
    private final Set<AttackType> attacks;
    private final List<WafExclusion> exclusions;

    private WafSettings(Builder b) {
        this.enabled = b.enabled;
        this.mode = b.mode;
        this.paranoiaLevel = b.paranoiaLevel;
        this.maxBodyBytes = b.maxBodyBytes;
        this.oversize = b.oversize;
        this.headers = List.copyOf(b.headers);
        this.attacks = Set.copyOf(EnumSet.copyOf(b.attacks));
        this.exclusions = List.copyOf(b.exclusions);
    }

    /** The defaults: off. */
    public static WafSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().enabled(enabled).mode(mode).paranoiaLevel(paranoiaLevel).maxBodyBytes(maxBodyBytes)
                .oversize(oversize).headers(headers).attacks(attacks);
        b.exclusions.addAll(exclusions);
        return b;
    }

    public boolean enabled() {
        return enabled;
    }

    public WafMode mode() {
        return mode;
    }

    /** 1 (default), 2 or 3. */
    public int paranoiaLevel() {
        return paranoiaLevel;
    }

    /** The most body bytes buffered and inspected; 0 turns body inspection off. */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public Oversize oversize() {
        return oversize;
    }

    public List<String> headers() {
        return headers;
    }

    public Set<AttackType> attacks() {
        return attacks;
    }

    public List<WafExclusion> exclusions() {
        return exclusions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WafSettings w && w.enabled == enabled && w.mode == mode && w.paranoiaLevel == paranoiaLevel
                && w.maxBodyBytes == maxBodyBytes && w.oversize == oversize && w.headers.equals(headers)
                && w.attacks.equals(attacks) && w.exclusions.equals(exclusions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, mode, paranoiaLevel, maxBodyBytes, oversize, headers, attacks, exclusions);
    }

    @Override
    public String toString() {
        return enabled ? "WafSettings[" + mode + ", PL" + paranoiaLevel + ", body " + maxBodyBytes + " " + oversize
                + ", " + exclusions.size() + " exclusions]" : "WafSettings[off]";
    }

    /** Builds {@link WafSettings}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private WafMode mode = WafMode.BLOCK;
        private int paranoiaLevel = 1;
        private int maxBodyBytes = 128 * 1024;
        private Oversize oversize = Oversize.REJECT;
        private List<String> headers = new ArrayList<>(DEFAULT_HEADERS);
        private Set<AttackType> attacks = EnumSet.allOf(AttackType.class);
        private final List<WafExclusion> exclusions = new ArrayList<>();

        private Builder() {
        }

        /** Turns inspection on or off (default off). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        public Builder mode(WafMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * @throws IllegalArgumentException unless 1, 2 or 3
         */
        public Builder paranoiaLevel(int level) {
            if (level < 1 || level > 3) {
                throw new IllegalArgumentException("paranoiaLevel: " + level + " (expected: 1, 2 or 3)");
            }
            this.paranoiaLevel = level;
            return this;
        }

        /**
         * @throws IllegalArgumentException when negative or above 16 MiB
         */
        public Builder maxBodyBytes(int bytes) {
            if (bytes < 0 || bytes > 16 * 1024 * 1024) {
                throw new IllegalArgumentException("maxBodyBytes: " + bytes + " (expected: 0..16777216)");
            }
            this.maxBodyBytes = bytes;
            return this;
        }

        public Builder oversize(Oversize oversize) {
            this.oversize = Objects.requireNonNull(oversize, "oversize");
            return this;
        }

        /** The headers to inspect, replacing the defaults. */
        public Builder headers(List<String> names) {
            this.headers = new ArrayList<>(new LinkedHashSet<>(names));
            return this;
        }

        /**
         * The attack types to look for (default: all).
         *
         * @throws IllegalArgumentException when empty
         */
        public Builder attacks(Set<AttackType> types) {
            if (types.isEmpty()) {
                throw new IllegalArgumentException("attacks: [] (expected: at least one attack type; disable the WAF instead)");
            }
            this.attacks = EnumSet.copyOf(types);
            return this;
        }

        public Builder exclusion(WafExclusion exclusion) {
            exclusions.add(Objects.requireNonNull(exclusion, "exclusion"));
            return this;
        }

        public WafSettings build() {
            return new WafSettings(this);
        }
    }
}
