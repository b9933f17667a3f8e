package io.aegis.gateway.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A precompiled matcher from (method, path) to a {@link RoutePolicy}: a trie over path segments,
 * so matching costs one map lookup per segment rather than a scan of every route.
 *
 * <p>Template syntax (as in JAX-RS {@code @Path}): literal segments; {@code {name}} captures one
 * non-empty segment; {@code {name: regex}} captures one segment matching the regular expression;
 * {@code {name: .*}} or {@code {name: .+}} (any expression that can match {@code /}) captures the
 * rest of the path and must be the last segment. A trailing slash is ignored.
 *
 * <p>Precedence at each segment: literal, then constrained parameter, then plain parameter, then
 * rest-of-path; the first branch under which the method also matches wins, and an exact method
 * beats {@code *}. Paths are matched after percent-decoding, as the adapters' frameworks dispatch
 * them. Empty segments ({@code //}) match nothing but a rest-of-path parameter.
 *
 * <p>Immutable and thread-safe.
 */
public final class RouteTable {

    private static final RouteTable EMPTY = new RouteTable(List.of());

    private final Node root = new Node();
    private final List<RoutePolicy> routes;

    private RouteTable(List<RoutePolicy> routes) {
        Map<String, RoutePolicy> seen = new HashMap<>();
        for (RoutePolicy r : routes) {
            String shape = r.method() + " " + shape(r.path());
            RoutePolicy prior = seen.putIfAbsent(shape, r);
            if (prior != null) {
                throw new IllegalArgumentException("route " + r.id() + " duplicates route " + prior.id()
                        + " (expected: one route per method and path)");
            }
            insert(r);
        }
        this.routes = List.copyOf(routes);
    }

    /** A table that matches nothing. */
    public static RouteTable empty() {
        return EMPTY;
    }

    /**
     * Compiles the routes.
     *
     * @throws IllegalArgumentException when two routes have the same method and path shape
     */
    public static RouteTable of(Collection<RoutePolicy> routes) {
        return routes.isEmpty() ? EMPTY : new RouteTable(List.copyOf(routes));
    }

    /** The routes in declaration order. */
    public List<RoutePolicy> routes() {
        return routes;
    }

    /**
     * Finds the route for a request.
     *
     * @param method the request method, upper case
     * @param path the percent-decoded path, starting with {@code /}
     * @return the match, or {@code null} when no route serves this method and path
     */
    public RouteMatch match(String method, String path) {
        if (routes.isEmpty() || path == null || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        String[] segments = splitPath(path);
        String[] captured = new String[segments.length + 1];
        Hit hit = new Hit();
        if (!root.match(segments, 0, method, captured, 0, hit)) {
            return null;
        }
        if (hit.param.isEmpty()) {
            return new RouteMatch(hit.route, Map.of());
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < hit.param.size(); i++) {
            params.put(hit.param.get(i), captured[i]);
        }
        return new RouteMatch(hit.route, Collections.unmodifiableMap(params));
    }

    /**
     * Checks a template's syntax.
     *
     * @throws IllegalArgumentException naming the template and what is wrong with it
     */
    public static void validateTemplate(String template) {
        String[] segs = split(template);
        for (int i = 0; i < segs.length; i++) {
            Segment s = Segment.parse(template, segs[i]);
            if (s.kind == Kind.REST && i != segs.length - 1) {
                throw new IllegalArgumentException("path: " + template
                        + " (expected: a rest-of-path parameter only as the last segment)");
            }
        }
    }

    // ---------------------------------------------------------------------------------------

    /** A template's segments: a '/' inside braces belongs to a parameter's expression. */
    private static String[] split(String template) {
        if (template.equals("/")) {
            return new String[0];
        }
        String p = trimSlash(template);
        // Keep empty segments: "//" must not silently match a shorter template (nor "/").
        List<String> out = new ArrayList<>();
        int start = 1;
        int depth = 0;
        for (int i = 1; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == '/' && depth == 0) {
                out.add(p.substring(start, i));
                start = i + 1;
            }
        }
        out.add(p.substring(start));
        return out.toArray(new String[0]);
    }

    /** Ignores one trailing slash. */
    private static String trimSlash(String path) {
        return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * A request path's segments, empty ones kept, one trailing slash ignored; braces are ordinary
     * characters. Sized in a first pass: this runs per request.
     */
    private static String[] splitPath(String path) {
        if (path.equals("/")) {
            return new String[0];
        }
        String p = trimSlash(path);
        int count = 1;
        for (int i = p.indexOf('/', 1); i >= 0; i = p.indexOf('/', i + 1)) {
            count++;
        }
        String[] out = new String[count];
        int start = 1;
        for (int k = 0; k < count - 1; k++) {
            int end = p.indexOf('/', start);
            out[k] = p.substring(start, end);
            start = end + 1;
        }
        out[count - 1] = p.substring(start);
        return out;
    }

    private static String shape(String template) {
        StringBuilder sb = new StringBuilder();
        for (String seg : split(template)) {
            Segment s = Segment.parse(template, seg);
            sb.append('/').append(switch (s.kind) {
                case LITERAL -> s.literal;
                case PARAM -> "{}";
                case REGEX -> "{:" + s.pattern.pattern() + "}";
                case REST -> "{**}";
            });
        }
        return sb.toString();
    }

    private void insert(RoutePolicy route) {
        Node node = root;
        Pattern restPattern = null;
        List<String> names = new ArrayList<>();
        for (String seg : split(route.path())) {
            Segment s = Segment.parse(route.path(), seg);
            switch (s.kind) {
                case LITERAL -> node = node.literals.computeIfAbsent(s.literal, k -> new Node());
                case PARAM -> {
                    if (node.param == null) {
                        node.param = new Node();
                    }
                    node = node.param;
                    names.add(s.name);
                }
                case REGEX -> {
                    Node next = null;
                    for (RegexEdge e : node.regexes) {
                        if (e.pattern.pattern().equals(s.pattern.pattern())) {
                            next = e.node;
                        }
                    }
                    if (next == null) {
                        next = new Node();
                        node.regexes.add(new RegexEdge(s.pattern, next));
                    }
                    node = next;
                    names.add(s.name);
                }
                case REST -> {
                    if (node.rest == null) {
                        node.rest = new Node();
                    }
                    node = node.rest;
                    names.add(s.name);
                    restPattern = s.pattern;
                }
            }
        }
        node.methods.put(route.method(), new Leaf(route, List.copyOf(names), restPattern));
    }

    private enum Kind { LITERAL, PARAM, REGEX, REST }

    private static final class Segment {
        final Kind kind;
        final String literal;
        final String name;
        final Pattern pattern;

        private Segment(Kind kind, String literal, String name, Pattern pattern) {
            this.kind = kind;
            this.literal = literal;
            this.name = name;
            this.pattern = pattern;
        }

        static Segment parse(String template, String seg) {
            if (seg.isEmpty()) {
                throw new IllegalArgumentException("path: " + template + " (expected: no empty segment)");
            }
            if (seg.charAt(0) != '{') {
                if (seg.indexOf('{') >= 0 || seg.indexOf('}') >= 0) {
                    throw new IllegalArgumentException("path: " + template
                            + " (expected: a parameter to fill a whole segment, e.g. /{id})");
                }
                return new Segment(Kind.LITERAL, seg, null, null);
            }
            if (seg.charAt(seg.length() - 1) != '}') {
                throw new IllegalArgumentException("path: " + template + " (expected: '}' to end segment " + seg + ")");
            }
            String body = seg.substring(1, seg.length() - 1);
            int colon = body.indexOf(':');
            String name = (colon < 0 ? body : body.substring(0, colon)).trim();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                throw new IllegalArgumentException("path: " + template + " (expected: a parameter name in " + seg + ")");
            }
            if (colon < 0) {
                return new Segment(Kind.PARAM, null, name, null);
            }
            String regex = body.substring(colon + 1).trim();
            Pattern p;
            try {
                p = Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("path: " + template + " (expected: a valid regular expression in "
                        + seg + ": " + e.getDescription() + ")", e);
            }
            if (regex.equals(".*") || regex.equals(".+") || regex.contains("/") || p.matcher("a/b").matches()) {
                return new Segment(Kind.REST, null, name, p);
            }
            return new Segment(Kind.REGEX, null, name, p);
        }
    }

    private record RegexEdge(Pattern pattern, Node node) {
    }

    private record Leaf(RoutePolicy route, List<String> names, Pattern restPattern) {
    }

    private static final class Hit {
        RoutePolicy route;
        List<String> param = List.of();
        Pattern restPattern;
    }

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>(4);
        final List<RegexEdge> regexes = new ArrayList<>(0);
        Node param;
        Node rest;
        final Map<String, Leaf> methods = new HashMap<>(4);

        boolean match(String[] segs, int i, String method, String[] captured, int depth, Hit hit) {
            if (i == segs.length) {
                if (leaf(method, hit)) {
                    return true;
                }
                // "/files" may still match "/files/{rest: .*}" with an empty rest.
                if (rest != null && rest.leaf(method, hit) && restAllowsEmpty(hit)) {
                    captured[depth] = "";
                    return true;
                }
                return false;
            }
            String seg = segs[i];
            Node lit = literals.get(seg);
            if (lit != null && lit.match(segs, i + 1, method, captured, depth, hit)) {
                return true;
            }
            if (!seg.isEmpty()) {
                for (RegexEdge e : regexes) {
                    if (e.pattern.matcher(seg).matches()) {
                        captured[depth] = seg;
                        if (e.node.match(segs, i + 1, method, captured, depth + 1, hit)) {
                            return true;
                        }
                    }
                }
                if (param != null) {
                    captured[depth] = seg;
                    if (param.match(segs, i + 1, method, captured, depth + 1, hit)) {
                        return true;
                    }
                }
            }
            if (rest != null && rest.leaf(method, hit)) {
                String remainder = String.join("/", Arrays.copyOfRange(segs, i, segs.length));
                if (hit.restPattern.matcher(remainder).matches()) {
                    captured[depth] = remainder;
                    return true;
                }
            }
            return false;
        }

        private boolean leaf(String method, Hit hit) {
            Leaf l = methods.get(method);
            if (l == null) {
                l = methods.get(RoutePolicy.ANY_METHOD);
            }
            if (l == null) {
                return false;
            }
            hit.route = l.route;
            hit.param = l.names;
            hit.restPattern = l.restPattern;
            return true;
        }

        private static boolean restAllowsEmpty(Hit hit) {
            return hit.restPattern.matcher("").matches();
        }
    }
}
