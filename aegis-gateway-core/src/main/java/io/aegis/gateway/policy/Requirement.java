package io.aegis.gateway.policy;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A set of required values (scopes or roles) and how many of them must be granted: all of them,
 * or any one. The empty requirement is satisfied by anything.
 *
 * <p>Immutable and thread-safe.
 */
public final class Requirement {

    /** How the required values combine. */
    public enum Mode {
        /** Every value must be granted. */
        ALL_OF,
        /** At least one value must be granted. */
        ANY_OF
    }

    private static final Requirement NONE = new Requirement(Mode.ALL_OF, Set.of());

    private final Mode mode;
    private final Set<String> values;
    private final String[] array;

    private Requirement(Mode mode, Set<String> values) {
        this.mode = mode;
        this.values = values;
        this.array = values.toArray(new String[0]);
    }

    /** The requirement that is always satisfied. */
    public static Requirement none() {
        return NONE;
    }

    public static Requirement allOf(String... values) {
        return of(Mode.ALL_OF, List.of(values));
    }

    public static Requirement anyOf(String... values) {
        return of(Mode.ANY_OF, List.of(values));
    }

    /**
     * A requirement of these values; blank values are an error.
     *
     * @throws IllegalArgumentException for a blank value or one containing white space
     */
    public static Requirement of(Mode mode, Collection<String> values) {
        Objects.requireNonNull(mode, "mode");
        Set<String> set = new LinkedHashSet<>();
        for (String v : values) {
            if (v == null || v.isBlank() || v.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("value: '" + v + "' (expected: a non-blank name without white space)");
            }
            set.add(v);
        }
        return set.isEmpty() ? NONE : new Requirement(mode, Set.copyOf(set));
    }

    public Mode mode() {
        return mode;
    }

    public Set<String> values() {
        return values;
    }

    public boolean isEmpty() {
        return array.length == 0;
    }

    /** {@code true} when the granted values satisfy this requirement. */
    public boolean isSatisfiedBy(Set<String> granted) {
        if (array.length == 0) {
            return true;
        }
        if (mode == Mode.ALL_OF) {
            for (String v : array) {
                if (!granted.contains(v)) {
                    return false;
                }
            }
            return true;
        }
        for (String v : array) {
            if (granted.contains(v)) {
                return true;
            }
        }
        return false;
    }

    /** The values as one space-separated string, as RFC 6750's {@code scope} attribute wants them. */
    public String spaceSeparated() {
        return String.join(" ", new java.util.TreeSet<>(values));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Requirement r && r.mode == mode && r.values.equals(values);
    }

    @Override
    public int hashCode() {
        return mode.hashCode() * 31 + values.hashCode();
    }

    @Override
    public String toString() {
        return isEmpty() ? "none" : mode.name().toLowerCase(java.util.Locale.ROOT) + values;
    }
}
