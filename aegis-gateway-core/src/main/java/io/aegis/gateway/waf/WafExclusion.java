package io.aegis.gateway.waf;

import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.RouteTable;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Turns detection off where a request legitimately carries what looks like an attack: a field
 * that holds HTML or code, a route that uploads scripts.
 *
 * <p>An exclusion applies to requests matching its route (a route id of the service policy, or a
 * method and path template of its own; neither: every request), to some fields (names such as
 * {@code content}, or qualified by source: {@code body:content}, {@code query:q},
 * {@code header:User-Agent}, {@code cookie:prefs}, {@code path}; none: every field) and to some
 * attack types (none: every type). Exclusions are matched pre-routing, against the service's route
 * table, so they also work in adapters that route later (JAX-RS).
 *
 * <p>Immutable and thread-safe.
 */
public final class WafExclusion {

    /**
     * The route property naming excluded fields (comma-separated; empty: all). A route with this
     * property or {@link #ROUTE_ATTACKS} carries its own exclusion (the JAX-RS {@code @WafExclude}).
     */
    public static final String ROUTE_FIELDS = "waf.exclude.fields";
    /** The route property naming excluded attack types (comma-separated ids; empty: all). */
    public static final String ROUTE_ATTACKS = "waf.exclude.attacks";

    private final String id;
    private final String routeId;
    private final String method;
    private final String path;
    private final RouteTable pathTable;
    private final Set<String> fields;
    private final Set<AttackType> attacks;

    private WafExclusion(Builder b) {
        this.id = b.id;
        this.routeId = b.routeId;
        this.method = b.method;
        this.path = b.path;
        this.pathTable = b.path == null ? null
                : RouteTable.of(List.of(RoutePolicy.builder(b.method == null ? RoutePolicy.ANY_METHOD : b.method, b.path)
                        .id("waf-exclusion-" + b.id).build()));
        this.fields = Set.copyOf(b.fields);
        this.attacks = b.attacks.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(b.attacks));
    }

    /**
     * Starts an exclusion.
     *
     * @param id a name for logs and configuration ({@code aegis.waf.exclusions.<id>.*})
     */
    public static Builder builder(String id) {
        return new Builder(id);
    }

    public String id() {
        return id;
    }

    /** The route id this exclusion is limited to, or {@code null}. */
    public String routeId() {
        return routeId;
    }

    /** The method of {@link #path()}, or {@code null} for any. */
    public String method() {
        return method;
    }

    /** The path template this exclusion is limited to, or {@code null}. */
    public String path() {
        return path;
    }

    /** The fields excluded; empty: all. */
    public Set<String> fields() {
        return fields;
    }

    /** The attack types excluded; empty: all. */
    public Set<AttackType> attacks() {
        return attacks;
    }

    /** {@code true} when this exclusion concerns the request (route id or own path template). */
    boolean appliesTo(String requestMethod, String requestPath, RoutePolicy route) {
        if (routeId != null) {
            return route != null && route.id().equals(routeId);
        }
        if (pathTable != null) {
            return pathTable.match(requestMethod, requestPath) != null;
        }
        return true;
    }

    /** The skip bits ({@link ThreatDetector#bit}) for a field of a source, or 0. */
    int skipBits(String source, String name) {
        if (!fields.isEmpty() && !fields.contains(name) && !fields.contains(source + ":" + name)
                && !fields.contains(source)) {
            return 0;
        }
        if (attacks.isEmpty()) {
            return -1;
        }
        int bits = 0;
        for (AttackType a : attacks) {
            bits |= ThreatDetector.bit(a);
        }
        return bits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WafExclusion e && e.id.equals(id) && Objects.equals(e.routeId, routeId)
                && Objects.equals(e.method, method) && Objects.equals(e.path, path) && e.fields.equals(fields)
                && e.attacks.equals(attacks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, routeId, method, path, fields, attacks);
    }

    @Override
    public String toString() {
        return "WafExclusion[" + id + (routeId == null ? "" : ", route " + routeId)
                + (path == null ? "" : ", " + (method == null ? "*" : method) + " " + path)
                + ", fields " + (fields.isEmpty() ? "all" : fields) + ", attacks " + (attacks.isEmpty() ? "all" : attacks) + "]";
    }

    /** Builds a {@link WafExclusion}. Not thread-safe. */
    public static final class Builder {
        private final String id;
        private String routeId;
        private String method;
        private String path;
        private final Set<String> fields = new LinkedHashSet<>();
        private final Set<AttackType> attacks = new LinkedHashSet<>();

        private Builder(String id) {
            this.id = Objects.requireNonNull(id, "id");
        }

        /** Limits the exclusion to the route with this id (as in the service policy). */
        public Builder route(String routeId) {
            this.routeId = Objects.requireNonNull(routeId, "routeId");
            return this;
        }

        /**
         * Limits the exclusion to a method and path template ({@code /api/v1/posts/{id}}).
         *
         * @param method an HTTP method or {@code *}
         * @throws IllegalArgumentException when the template is invalid
         */
        public Builder path(String method, String template) {
            RoutePolicy.builder(method, template); // validates both
            this.method = RoutePolicy.ANY_METHOD.equals(method.trim()) ? null : method.trim().toUpperCase(java.util.Locale.ROOT);
            this.path = template;
            return this;
        }

        /** The fields excluded (names, or {@code source:name}). */
        public Builder fields(String... names) {
            for (String n : names) {
                if (n.isBlank()) {
                    throw new IllegalArgumentException("field: '' (expected: a field name, or source:name)");
                }
                fields.add(n.trim());
            }
            return this;
        }

        /** The attack types excluded. */
        public Builder attacks(AttackType... types) {
            attacks.addAll(List.of(types));
            return this;
        }

        /**
         * @throws IllegalArgumentException when both a route id and a path are set
         */
        public WafExclusion build() {
            if (routeId != null && path != null) {
                throw new IllegalArgumentException("exclusion " + id + ": route and path are both set (expected: one of them)");
            }
            return new WafExclusion(this);
        }
    }

    /** The exclusion a route carries in its properties, or {@code null}. */
    static WafExclusion ofRoute(RoutePolicy route) {
        String fields = route.properties().get(ROUTE_FIELDS);
        String attacks = route.properties().get(ROUTE_ATTACKS);
        if (fields == null && attacks == null) {
            return null;
        }
        Builder b = builder("route " + route.id()).route(route.id());
        if (fields != null) {
            for (String f : fields.split(",")) {
                if (!f.isBlank()) {
                    b.fields(f.trim());
                }
            }
        }
        if (attacks != null) {
            for (String a : attacks.split(",")) {
                if (!a.isBlank()) {
                    b.attacks(AttackType.parse(a));
                }
            }
        }
        return b.build();
    }
}
