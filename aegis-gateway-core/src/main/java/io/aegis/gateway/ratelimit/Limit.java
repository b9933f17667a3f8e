package io.aegis.gateway.ratelimit;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * One bandwidth: at most {@code count} requests per {@code window}, refilled smoothly (a token
 * bucket of capacity {@code count} that refills {@code count} tokens per window).
 *
 * <p>Immutable and thread-safe. The text form is {@code count/duration}, e.g. {@code 10/1s},
 * {@code 1000/1h}; durations take {@code ms}, {@code s}, {@code m}, {@code h}, {@code d} or an
 * ISO-8601 duration such as {@code PT1M}.
 */
public final class Limit {

    private final long count;
    private final Duration window;

    private Limit(long count, Duration window) {
        this.count = count;
        this.window = window;
    }

    /**
     * A limit of {@code count} per {@code window}.
     *
     * @throws IllegalArgumentException when the count is not positive or the window is shorter than 1 ms
     */
    public static Limit of(long count, Duration window) {
        Objects.requireNonNull(window, "window");
        if (count <= 0) {
            throw new IllegalArgumentException("count: " + count + " (expected: > 0)");
        }
        if (window.toMillis() < 1) {
            throw new IllegalArgumentException("window: " + window + " (expected: >= 1ms)");
        }
        return new Limit(count, window);
    }

    /**
     * Parses {@code count/duration}.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Limit parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash <= 0 || slash == t.length() - 1) {
            throw new IllegalArgumentException("limit: '" + text + "' (expected: count/duration, e.g. 10/1s)");
        }
        long count;
        try {
            count = Long.parseLong(t.substring(0, slash).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit: '" + text + "' (expected: a whole number before '/')", e);
        }
        return of(count, parseDuration(t.substring(slash + 1).trim()));
    }

    /**
     * Parses a duration: a positive whole number with a unit {@code ms}, {@code s}, {@code m},
     * {@code h}, {@code d}, or an ISO-8601 duration.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pt") || t.startsWith("p")) {
            try {
                return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("duration: '" + text + "' (expected: e.g. 1s, 5m, PT1H)", e);
            }
        }
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0 || i > 12) {
            throw new IllegalArgumentException("duration: '" + text + "' (expected: e.g. 1s, 5m, PT1H)");
        }
        long n = Long.parseLong(t.substring(0, i));
        String unit = t.substring(i).trim();
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "" -> Duration.ofSeconds(n);
            case "m", "min" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("duration: '" + text
                    + "' (expected: a unit of ms, s, m, h or d)");
        };
    }

    /** Formats a duration in the shortest exact unit: {@code 1s}, {@code 90s}, {@code 1h}, {@code 250ms}. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    public long count() {
        return count;
    }

    public Duration window() {
        return window;
    }

    /** The window in whole seconds, at least 1 (for the {@code w} parameter of {@code RateLimit-Policy}). */
    public long windowSeconds() {
        return Math.max(1, (window.toMillis() + 999) / 1000);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Limit l && l.count == count && l.window.equals(window);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(count) * 31 + window.hashCode();
    }

    /** The text form, e.g. {@code 10/1s}. */
    @Override
    public String toString() {
        return count + "/" + formatDuration(window);
    }
}
