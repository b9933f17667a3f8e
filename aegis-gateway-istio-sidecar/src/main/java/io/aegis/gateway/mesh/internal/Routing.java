package io.aegis.gateway.mesh.internal;

import io.aegis.gateway.mesh.MeshDescription;
import io.aegis.gateway.mesh.MeshVersion;
import io.aegis.gateway.mesh.Rollout;
import io.aegis.gateway.policy.RoutePolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which pods serve which traffic, and route paths in the forms Istio and Kong match: shared by
 * the projections so they route alike.
 *
 * <p>A version's pods serve their own version and every older one, so the prefix of version
 * {@code vN} goes to the deployed versions at least as new as {@code vN}, by their weights
 * (renormalized to 100); traffic outside every prefix goes to all deployed versions by their
 * weights. In a rollout the stable and the canary versions stay destinations even at weight 0, so
 * that moving the canary only rewrites weights.
 */
public final class Routing {

    private Routing() {
    }

    /** A subset and its share of a route's traffic. */
    public record Destination(MeshVersion version, int weight) {
    }

    /** The versions that run pods: weight above 0, or part of the rollout. */
    public static List<MeshVersion> deployed(MeshDescription d) {
        Rollout r = d.rollout();
        return d.versions().stream().filter(v -> v.weight() > 0
                || r != null && (v.id().equals(r.stable()) || v.id().equals(r.canary()))).toList();
    }

    /** The destinations of version {@code v}'s prefix; empty when no deployed version serves it. */
    public static List<Destination> forPrefix(MeshDescription d, MeshVersion v) {
        return split(d, deployed(d).stream().filter(w -> w.number() >= v.number()).toList());
    }

    /** The destinations of traffic outside every version prefix. */
    public static List<Destination> shared(MeshDescription d) {
        return split(d, deployed(d));
    }

    private static List<Destination> split(MeshDescription d, List<MeshVersion> serving) {
        if (serving.isEmpty()) {
            return List.of();
        }
        Rollout r = d.rollout();
        if (r != null) {
            MeshVersion stable = serving.stream().filter(v -> v.id().equals(r.stable())).findFirst().orElse(null);
            MeshVersion canary = serving.stream().filter(v -> v.id().equals(r.canary())).findFirst().orElse(null);
            if (stable != null && canary != null) {
                return List.of(new Destination(stable, stable.weight()), new Destination(canary, canary.weight()));
            }
        }
        int total = serving.stream().mapToInt(MeshVersion::weight).sum();
        if (total == 0) {
            // Only the canary of a rollout serves this prefix (its new version): all of it goes there.
            return serving.size() == 1 ? List.of(new Destination(serving.get(0), 100)) : List.of();
        }
        // Largest remainder, ties to the newer version: the shares always sum to exactly 100.
        int[] shares = new int[serving.size()];
        long[] remainders = new long[serving.size()];
        int given = 0;
        for (int i = 0; i < shares.length; i++) {
            long scaled = (long) serving.get(i).weight() * 100;
            shares[i] = (int) (scaled / total);
            remainders[i] = scaled % total;
            given += shares[i];
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingLong(i -> -remainders[i]).thenComparing(i -> -serving.get(i).number()));
        for (int k = 0; given < 100; k++, given++) {
            shares[order.get(k % order.size())]++;
        }
        List<Destination> out = new ArrayList<>();
        for (int i = 0; i < shares.length; i++) {
            if (shares[i] > 0) {
                out.add(new Destination(serving.get(i), shares[i]));
            }
        }
        return out;
    }

    /**
     * The path of a route as Istio authorization matches it: the exact path when the template has
     * no parameter, else the literal part before the first parameter followed by {@code *} (a
     * prefix match; the exact check is the library's).
     */
    public static String istioPath(RoutePolicy r) {
        String t = trim(r.path());
        int brace = t.indexOf('{');
        if (brace < 0) {
            return t;
        }
        return t.substring(0, t.lastIndexOf('/', brace) + 1) + "*";
    }

    /** The path of a route as a Kong regex path ({@code ~/api/v1/items/[^/]+$}). */
    public static String kongRegex(RoutePolicy r) {
        StringBuilder sb = new StringBuilder("~");
        String t = trim(r.path());
        if (t.equals("/")) {
            return "~/$";
        }
        for (String seg : t.substring(1).split("/", -1)) {
            sb.append('/');
            if (seg.startsWith("{") && seg.endsWith("}")) {
                int colon = seg.indexOf(':');
                String regex = colon < 0 ? "[^/]+" : seg.substring(colon + 1, seg.length() - 1).trim();
                sb.append(colon < 0 ? regex : "(?:" + regex + ")");
            } else {
                sb.append(quote(seg));
            }
        }
        return sb.append('$').toString();
    }

    private static String quote(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\.[]{}()*+?^$|".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String trim(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** The methods of routes, sorted; empty when one of them serves every method. */
    public static List<String> methods(List<RoutePolicy> routes) {
        Set<String> out = new java.util.TreeSet<>();
        for (RoutePolicy r : routes) {
            if (r.method().equals(RoutePolicy.ANY_METHOD)) {
                return List.of();
            }
            out.add(r.method());
        }
        return List.copyOf(out);
    }

    /** The routes of a version (routes without one belong to no version). */
    public static List<RoutePolicy> routesOf(MeshDescription d, MeshVersion v) {
        return d.routes().stream().filter(r -> v.id().equals(r.version())
                || r.version() == null && r.path().startsWith(v.prefix())).toList();
    }

    /** Distinct values in first-seen order. */
    public static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
