package io.aegis.gateway.versioning;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Planned refusals of a version before its sunset, so that clients notice while they can still
 * migrate: during a brownout, calls are answered {@code 410 Gone} with the same
 * {@code version-sunset} problem as after the sunset.
 *
 * <p>Two kinds, combinable:
 * <ul>
 *   <li><b>windows</b>: fixed intervals in which every call of the version is refused
 *       ({@code 2026-05-04T09:00:00Z/PT1H});</li>
 *   <li><b>a percentage</b> of calls refused from a start date ({@link #from()}, by default the
 *       version's deprecation date) until the sunset. The decision is deterministic per client and
 *       {@linkplain #slot() time slot} (default one hour): a hash of the client key, the version and
 *       the slot number, so one client sees the same answer for a whole slot, and a different
 *       random-looking share of clients is refused in each slot.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe. Defaults: no windows, 0&nbsp;%, slot of one hour.
 */
public final class Brownout {

    /** The slot length when none is given. */
    public static final Duration DEFAULT_SLOT = Duration.ofHours(1);

    private final List<Window> windows;
    private final int basisPoints;
    private final Instant from;
    private final Duration slot;

    private Brownout(Builder b) {
        List<Window> w = new ArrayList<>(b.windows);
        w.sort(Comparator.comparing(Window::start));
        this.windows = List.copyOf(w);
        this.basisPoints = b.basisPoints;
        this.from = b.from;
        this.slot = b.slot;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.windows.addAll(windows);
        b.basisPoints = basisPoints;
        b.from = from;
        b.slot = slot;
        return b;
    }

    /** The scheduled windows, in start order. */
    public List<Window> windows() {
        return windows;
    }

    /** The share of calls refused in percent (0 to 100, hundredths kept). */
    public double percentage() {
        return basisPoints / 100.0;
    }

    /** When percentage refusals start, or {@code null} for the version's deprecation date. */
    public Instant from() {
        return from;
    }

    /** The length of a slot within which a client's percentage decision stays the same. */
    public Duration slot() {
        return slot;
    }

    /** {@code true} when this brownout never refuses anything. */
    public boolean isEmpty() {
        return windows.isEmpty() && basisPoints == 0;
    }

    /**
     * Whether a call is refused now, and until when.
     *
     * @param now the current time
     * @param client the client's stable key (API key id, subject, or address)
     * @param versionId the version called
     * @param defaultFrom when percentage refusals start if {@link #from()} is unset (the
     *     deprecation date); {@code null}: they do not start
     * @param sunset the sunset (refusals stop there: after it the version is gone anyway), or {@code null}
     * @return {@code null} when the call passes; else the instant the current refusal ends
     */
    public Instant refusedUntil(Instant now, String client, String versionId, Instant defaultFrom, Instant sunset) {
        if (sunset != null && !now.isBefore(sunset)) {
            return null;
        }
        for (Window w : windows) {
            if (w.contains(now)) {
                return w.end();
            }
        }
        if (basisPoints == 0) {
            return null;
        }
        Instant start = from != null ? from : defaultFrom;
        if (start == null || now.isBefore(start)) {
            return null;
        }
        long slotMillis = slot.toMillis();
        long index = Math.floorDiv(now.toEpochMilli(), slotMillis);
        if (Long.remainderUnsigned(hash(client, versionId, index), 10_000) >= basisPoints) {
            return null;
        }
        Instant end = Instant.ofEpochMilli((index + 1) * slotMillis);
        return sunset != null && sunset.isBefore(end) ? sunset : end;
    }

    /** FNV-1a over the inputs, then a SplitMix64 finaliser so neighbouring slots spread evenly. */
    static long hash(String client, String versionId, long slotIndex) {
        long h = 0xcbf29ce484222325L;
        h = fnv(h, client);
        h = (h ^ 0x1f) * 0x100000001b3L;
        h = fnv(h, versionId);
        for (int i = 0; i < 8; i++) {
            h = (h ^ ((slotIndex >>> (8 * i)) & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 30;
        h *= 0xbf58476d1ce4e5b9L;
        h ^= h >>> 27;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 31;
        return h;
    }

    private static long fnv(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            h = (h ^ (c & 0xff)) * 0x100000001b3L;
            h = (h ^ (c >>> 8)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * Parses windows: comma-separated ISO-8601 intervals, each {@code start/end} or
     * {@code start/duration} ({@code 2026-05-04T09:00:00Z/PT1H}, {@code 2026-05-04/2026-05-05}).
     *
     * @throws IllegalArgumentException naming the interval that is not one
     */
    public static List<Window> parseWindows(String text) {
        List<Window> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int slash = p.indexOf('/');
            if (slash <= 0 || slash == p.length() - 1 || p.indexOf('/', slash + 1) >= 0) {
                throw new IllegalArgumentException("brownout window '" + p
                        + "' (expected: an ISO-8601 interval start/end or start/duration, e.g. 2026-05-04T09:00:00Z/PT1H)");
            }
            try {
                Instant start = ApiVersion.parseInstant(p.substring(0, slash));
                String second = p.substring(slash + 1).trim();
                Instant end;
                if (second.toUpperCase(Locale.ROOT).startsWith("P")) {
                    try {
                        end = start.plus(Duration.parse(second));
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException("duration '" + second + "' (expected: ISO-8601, e.g. PT1H)", e);
                    }
                } else {
                    end = ApiVersion.parseInstant(second);
                }
                out.add(new Window(start, end));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("brownout window '" + p + "': " + e.getMessage(), e);
            }
        }
        return out;
    }

    /**
     * Parses a percentage: {@code 10}, {@code 12.5} or {@code 12.5%}, from 0 to 100 with at most
     * two decimals.
     *
     * @throws IllegalArgumentException when out of range or not a number
     */
    public static double parsePercentage(String text) {
        String t = text.trim();
        if (t.endsWith("%")) {
            t = t.substring(0, t.length() - 1).trim();
        }
        if (!t.matches("[0-9]{1,3}(\\.[0-9]{1,2})?")) {
            throw new IllegalArgumentException("brownout percentage '" + text + "' (expected: 0 to 100, e.g. 10 or 12.5)");
        }
        double d = Double.parseDouble(t);
        if (d > 100) {
            throw new IllegalArgumentException("brownout percentage '" + text + "' (expected: 0 to 100)");
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Brownout b && b.windows.equals(windows) && b.basisPoints == basisPoints
                && Objects.equals(b.from, from) && b.slot.equals(slot);
    }

    @Override
    public int hashCode() {
        return Objects.hash(windows, basisPoints, from, slot);
    }

    @Override
    public String toString() {
        return "Brownout[windows " + windows + ", " + percentage() + "%"
                + (from == null ? "" : " from " + from) + ", slot " + slot + "]";
    }

    /**
     * A brownout window, {@code [start, end)}.
     *
     * @param start the first refused instant
     * @param end the first instant served again
     */
    public record Window(Instant start, Instant end) {
        public Window {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(end, "end");
            if (!end.isAfter(start)) {
                throw new IllegalArgumentException("brownout window " + start + "/" + end + " (expected: end after start)");
            }
        }

        public boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }

        @Override
        public String toString() {
            return start + "/" + end;
        }
    }

    /** Builds a {@link Brownout}. Not thread-safe. */
    public static final class Builder {
        private final List<Window> windows = new ArrayList<>();
        private int basisPoints;
        private Instant from;
        private Duration slot = DEFAULT_SLOT;

        private Builder() {
        }

        public Builder window(Instant start, Instant end) {
            windows.add(new Window(start, end));
            return this;
        }

        public Builder windows(List<Window> more) {
            windows.addAll(more);
            return this;
        }

        /**
         * The share of calls to refuse, in percent.
         *
         * @throws IllegalArgumentException outside 0..100
         */
        public Builder percentage(double percent) {
            if (!(percent >= 0 && percent <= 100)) {
                throw new IllegalArgumentException("percentage: " + percent + " (expected: 0 to 100)");
            }
            this.basisPoints = (int) Math.round(percent * 100);
            return this;
        }

        /** When percentage refusals start; {@code null} (default): the version's deprecation date. */
        public Builder from(Instant from) {
            this.from = from;
            return this;
        }

        /**
         * The slot within which a client's percentage decision holds.
         *
         * @throws IllegalArgumentException outside one second to seven days
         */
        public Builder slot(Duration slot) {
            Objects.requireNonNull(slot, "slot");
            if (slot.compareTo(Duration.ofSeconds(1)) < 0 || slot.compareTo(Duration.ofDays(7)) > 0) {
                throw new IllegalArgumentException("slot: " + slot + " (expected: 1s to 7d)");
            }
            this.slot = slot;
            return this;
        }

        public Brownout build() {
            return new Brownout(this);
        }
    }
}
