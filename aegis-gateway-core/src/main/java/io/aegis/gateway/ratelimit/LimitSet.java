package io.aegis.gateway.ratelimit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Several {@link Limit bandwidths} enforced together: a request passes only if every one of them
 * has room (e.g. {@code 10/1s,1000/1h}: bursts of ten, a thousand an hour).
 *
 * <p>Immutable and thread-safe.
 */
public final class LimitSet {

    private final List<Limit> limits;

    private LimitSet(List<Limit> limits) {
        this.limits = limits;
    }

    /**
     * @throws IllegalArgumentException when empty or when two limits share a window
     */
    public static LimitSet of(List<Limit> limits) {
        Objects.requireNonNull(limits, "limits");
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("limits: [] (expected: at least one count/duration)");
        }
        List<Limit> sorted = new ArrayList<>(limits);
        sorted.sort(Comparator.comparing(Limit::window));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).window().equals(sorted.get(i - 1).window())) {
                throw new IllegalArgumentException("limits: " + limits
                        + " (expected: at most one limit per window, found two for " + sorted.get(i).window() + ")");
            }
        }
        return new LimitSet(List.copyOf(sorted));
    }

    public static LimitSet of(Limit... limits) {
        return of(List.of(limits));
    }

    /**
     * Parses {@code count/duration[,count/duration…]}, e.g. {@code 5/1s,100/1m}.
     *
     * @throws IllegalArgumentException naming the offending part and the expected form
     */
    public static LimitSet parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Limit> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(Limit.parse(part));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("limits: '" + text + "' (expected: count/duration[,count/duration...], e.g. 5/1s,100/1m)");
        }
        return of(out);
    }

    /** The limits, shortest window first. */
    public List<Limit> limits() {
        return limits;
    }

    /** A copy with every count multiplied by {@code factor} (at least 1), e.g. for an emergency. */
    public LimitSet scaled(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor: " + factor + " (expected: > 0)");
        }
        return of(limits.stream().map(l -> Limit.of(Math.max(1, Math.round(l.count() * factor)), l.window())).toList());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LimitSet s && s.limits.equals(limits);
    }

    @Override
    public int hashCode() {
        return limits.hashCode();
    }

    /** The text form, e.g. {@code 5/1s,100/1m}. */
    @Override
    public String toString() {
        return limits.stream().map(Limit::toString).collect(Collectors.joining(","));
    }
}
