package io.aegis.gateway.masking;

import io.aegis.gateway.masking.internal.JsonPaths;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to mask in the responses of a route (or, as the service default, of every route): JSON
 * fields by name anywhere in the document, JSON fields by path, and personal data found by
 * {@link Detector}s in every other string value. Part of the policy model: the route's
 * {@code masking} in {@link io.aegis.gateway.policy.RoutePolicy}, from the builder, from
 * configuration ({@code aegis.routes.<id>.masking.*}) or from {@code @Masked} in JAX-RS.
 *
 * <ul>
 *   <li><b>fields</b>: names matched case-insensitively at any depth, e.g. {@code email}. The
 *       whole value is masked: a string in its detector's format when it is exactly one finding
 *       ({@code m*****.k**@example.kr}), else by the generic mask ({@code 김**}); a number becomes
 *       a masked string; an object or array is masked in every scalar it holds; booleans and
 *       {@code null} stay.</li>
 *   <li><b>paths</b>: JSONPath-like, case-sensitive: {@code $.user.email}, {@code $.users[*].phone},
 *       {@code $..ssn} (any depth), {@code $.*.email} (any member), {@code $['odd name']}.
 *       Masked like fields. At most 64 steps over all paths.</li>
 *   <li><b>detectors</b>: run on every string value not already masked; each finding is
 *       replaced by its mask in place, the rest of the text stays.</li>
 *   <li><b>exemptScope</b>: callers holding this scope see clear values; {@code null} inherits the
 *       service setting ({@code pii:read} by default).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; {@link Builder#build()} validates the paths.
 */
public final class MaskingPolicy {

    private static final MaskingPolicy NONE = builder().build();

    private final Set<String> fields;
    private final List<String> paths;
    private final Set<Detector> detectors;
    private final String exemptScope;

    private MaskingPolicy(Builder b) {
        this.fields = Collections.unmodifiableSet(new LinkedHashSet<>(b.fields));
        this.paths = List.copyOf(new LinkedHashSet<>(b.paths));
        this.detectors = Collections.unmodifiableSet(b.detectors.isEmpty() ? EnumSet.noneOf(Detector.class)
                : EnumSet.copyOf(b.detectors));
        this.exemptScope = b.exemptScope;
        JsonPaths.compile(paths); // validates
    }

    /** Masks nothing. */
    public static MaskingPolicy none() {
        return NONE;
    }

    /** Masks these fields by name anywhere in the document. */
    public static MaskingPolicy fields(String... names) {
        return builder().fields(List.of(names)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.fields.addAll(fields);
        b.paths.addAll(paths);
        b.detectors.addAll(detectors);
        b.exemptScope = exemptScope;
        return b;
    }

    /** Field names masked anywhere (matched case-insensitively), in declaration order. */
    public Set<String> fields() {
        return fields;
    }

    /** JSON paths masked, in declaration order. */
    public List<String> paths() {
        return paths;
    }

    /** Detectors run on every other string value. */
    public Set<Detector> detectors() {
        return detectors;
    }

    /** The scope that exempts a caller, or {@code null} to inherit the service setting. */
    public String exemptScope() {
        return exemptScope;
    }

    /** {@code true} when this policy masks nothing. */
    public boolean isEmpty() {
        return fields.isEmpty() && paths.isEmpty() && detectors.isEmpty();
    }

    /**
     * This policy with {@code other}'s rules added (union of fields, paths and detectors);
     * {@code other}'s exempt scope wins when it has one.
     */
    public MaskingPolicy with(MaskingPolicy other) {
        if (other == null || other.isEmpty() && other.exemptScope == null) {
            return this;
        }
        if (isEmpty() && exemptScope == null) {
            return other;
        }
        Builder b = toBuilder();
        b.fields.addAll(other.fields);
        b.paths.addAll(other.paths);
        b.detectors.addAll(other.detectors);
        if (other.exemptScope != null) {
            b.exemptScope = other.exemptScope;
        }
        return b.build();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskingPolicy m && m.fields.equals(fields) && m.paths.equals(paths)
                && m.detectors.equals(detectors) && Objects.equals(m.exemptScope, exemptScope);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fields, paths, detectors, exemptScope);
    }

    @Override
    public String toString() {
        return "MaskingPolicy[fields " + fields + ", paths " + paths + ", detectors " + detectors
                + (exemptScope == null ? "" : ", exempt " + exemptScope) + "]";
    }

    /** Builds a {@link MaskingPolicy}. Defaults: nothing masked, exempt scope inherited. Not thread-safe. */
    public static final class Builder {
        private final Set<String> fields = new LinkedHashSet<>();
        private final Set<String> paths = new LinkedHashSet<>();
        private final Set<Detector> detectors = EnumSet.noneOf(Detector.class);
        private String exemptScope;

        private Builder() {
        }

        /**
         * Adds field names masked anywhere.
         *
         * @throws IllegalArgumentException for a blank name
         */
        public Builder fields(Collection<String> names) {
            for (String n : names) {
                if (n == null || n.isBlank()) {
                    throw new IllegalArgumentException("field: '" + n + "' (expected: a JSON member name)");
                }
                fields.add(n.trim());
            }
            return this;
        }

        public Builder field(String name) {
            return fields(List.of(name));
        }

        /** Adds JSON paths; validated by {@link #build()}. */
        public Builder paths(Collection<String> jsonPaths) {
            for (String p : jsonPaths) {
                paths.add(Objects.requireNonNull(p, "path").trim());
            }
            return this;
        }

        public Builder path(String jsonPath) {
            return paths(List.of(jsonPath));
        }

        /** Adds detectors run on every other string value. */
        public Builder detectors(Collection<Detector> more) {
            detectors.addAll(more);
            return this;
        }

        public Builder detectors(Detector... more) {
            return detectors(List.of(more));
        }

        /**
         * The scope that exempts a caller from this masking; {@code null} inherits the service
         * setting.
         *
         * @throws IllegalArgumentException for a blank scope
         */
        public Builder exemptScope(String scope) {
            if (scope != null && scope.isBlank()) {
                throw new IllegalArgumentException("exemptScope: '' (expected: a scope such as pii:read, or null to inherit)");
            }
            this.exemptScope = scope == null ? null : scope.trim();
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid path and what was expected
         */
        public MaskingPolicy build() {
            return new MaskingPolicy(this);
        }
    }
}
