package io.aegis.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouteTableTest {

    private static RoutePolicy route(String method, String path) {
        return RoutePolicy.builder(method, path).build();
    }

    private static RouteTable table(RoutePolicy... routes) {
        return RouteTable.of(List.of(routes));
    }

    /** The id of the matched route, or "-" for none. */
    private static String matched(RouteTable t, String method, String path) {
        RouteMatch m = t.match(method, path);
        return m == null ? "-" : m.route().id();
    }

    static final RouteTable USERS = table(
            route("GET", "/users/me"),
            route("GET", "/users/{id: [0-9]+}"),
            route("GET", "/users/{name}"),
            route("GET", "/users/{rest: .*}"),
            route("GET", "/users"),
            route("GET", "/users/{name}/orders/{order}"),
            route("*", "/items/{id}"),
            route("GET", "/items/{id}"),
            route("GET", "/a/b/c"),
            route("POST", "/a/{x}/c"),
            route("GET", "/"));

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "GET, /users/me, GET /users/me",
            "GET, /users/42, GET /users/{id: [0-9]+}",
            "GET, /users/bob, GET /users/{name}",
            "GET, /users/bob/x, GET /users/{rest: .*}",
            "GET, /users/42/x/y, GET /users/{rest: .*}",
            "GET, /users/bob/orders/7, GET /users/{name}/orders/{order}",
            "GET, /users/me/orders/7, GET /users/{name}/orders/{order}",
            "GET, /users, GET /users",
            "GET, /users/, GET /users",
            "GET, /users/me/, GET /users/me",
            "GET, /, GET /",
            "POST, /users/me, -",
            "GET, /items/1, GET /items/{id}",
            "DELETE, /items/1, * /items/{id}",
            "GET, /a/b/c, GET /a/b/c",
            "POST, /a/b/c, POST /a/{x}/c",
            "PUT, /a/b/c, -",
            "GET, /nope, -",
            "GET, /users//bob, GET /users/{rest: .*}",
            "GET, /items//, -",
            "GET, //, -",
            "GET, /a//c, -",
            "GET, '', -",
            "GET, users/me, -"})
    void precedenceMethodFallbackAndBacktracking(String method, String path, String expected) {
        assertThat(matched(USERS, method, path)).isEqualTo(expected);
    }

    @Test
    void parametersAreCapturedByName() {
        assertThat(USERS.match("GET", "/users/bob/orders/7").parameters()).isEqualTo(Map.of("name", "bob", "order", "7"));
        assertThat(USERS.match("GET", "/users/42").parameters()).isEqualTo(Map.of("id", "42"));
        assertThat(USERS.match("GET", "/users/me").parameters()).isEmpty();
        assertThat(USERS.match("GET", "/users/a/b//c").parameters()).isEqualTo(Map.of("rest", "a/b//c"));
        assertThat(USERS.match("POST", "/a/b/c").parameters()).isEqualTo(Map.of("x", "b"));
    }

    @Test
    void decodedParametersAreCapturedAsGiven() {
        // The table matches decoded paths: what the template captures is the decoded text.
        RouteTable t = table(route("GET", "/files/{name}"), route("GET", "/users/{id}/x"));
        assertThat(t.match("GET", "/files/a b ü%.txt").parameters()).isEqualTo(Map.of("name", "a b ü%.txt"));
        // Braces in a request path are ordinary characters, not template syntax.
        assertThat(t.match("GET", "/files/{x}").parameters()).isEqualTo(Map.of("name", "{x}"));
        assertThat(matched(t, "GET", "/users/{a/b}/x")).isEqualTo("-");
        assertThat(matched(t, "GET", "/files/{a/b}")).isEqualTo("-");
        assertThat(matched(t, "GET", "/files/}a/b")).isEqualTo("-");
    }

    @Test
    void aRestParameterMatchesTheEmptyRestOnlyWhenItsExpressionAllows() {
        RouteTable t = table(route("GET", "/files/{path: .*}"), route("GET", "/docs/{path: .+}"));
        assertThat(t.match("GET", "/files").parameters()).isEqualTo(Map.of("path", ""));
        assertThat(t.match("GET", "/files/").parameters()).isEqualTo(Map.of("path", ""));
        assertThat(t.match("GET", "/files/a/b").parameters()).isEqualTo(Map.of("path", "a/b"));
        assertThat(matched(t, "GET", "/docs")).isEqualTo("-");
        assertThat(t.match("GET", "/docs/a").parameters()).isEqualTo(Map.of("path", "a"));
    }

    @Test
    void anExpressionThatCanMatchASlashCapturesTheRestAndOneThatCannotCapturesOneSegment() {
        RouteTable t = table(route("GET", "/v/{path: [^x]+}"), route("GET", "/w/{id: [^/]+}"));
        assertThat(t.match("GET", "/v/abc/123").parameters()).isEqualTo(Map.of("path", "abc/123"));
        assertThat(matched(t, "GET", "/v/abc/x")).isEqualTo("-");
        assertThat(t.match("GET", "/w/abc").parameters()).isEqualTo(Map.of("id", "abc"));
        assertThat(matched(t, "GET", "/w/abc/123")).isEqualTo("-");
    }

    @Test
    void severalRegexParametersAreTriedInDeclarationOrder() {
        RouteTable t = table(route("GET", "/x/{n: [0-9]+}"), route("GET", "/x/{h: [0-9a-f]+}"), route("GET", "/x/{s}"));
        assertThat(matched(t, "GET", "/x/12")).isEqualTo("GET /x/{n: [0-9]+}");
        assertThat(matched(t, "GET", "/x/1f")).isEqualTo("GET /x/{h: [0-9a-f]+}");
        assertThat(matched(t, "GET", "/x/zz")).isEqualTo("GET /x/{s}");
    }

    @Test
    void anExactMethodBeatsTheWildcardOnTheSameTemplateOnly() {
        // The first branch (literal) under which the method matches wins, even by '*'.
        RouteTable t = table(route("*", "/p/lit"), route("GET", "/p/{x}"));
        assertThat(matched(t, "GET", "/p/lit")).isEqualTo("* /p/lit");
        assertThat(matched(t, "GET", "/p/other")).isEqualTo("GET /p/{x}");
    }

    @Test
    void duplicateRoutesAreRefusedNamingBoth() {
        assertThatThrownBy(() -> table(route("GET", "/a/{x}"), route("GET", "/a/{y}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("route GET /a/{y} duplicates route GET /a/{x} (expected: one route per method and path)");
        assertThatThrownBy(() -> table(route("GET", "/a/"), route("get", "/a")))
                .hasMessage("route GET /a duplicates route GET /a/ (expected: one route per method and path)");
        assertThatThrownBy(() -> table(route("GET", "/a/{p: .*}"), route("GET", "/a/{q: .+}")))
                .hasMessageContaining("duplicates");
        // Different methods, constraints or literals are not duplicates.
        assertThatCode(() -> table(route("GET", "/a/{x}"), route("POST", "/a/{x}"), route("*", "/a/{x}"),
                route("GET", "/a/{x: [0-9]+}"), route("GET", "/a/b"))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/a/{id|path: /a/{id (expected: '}' to end segment {id)",
            "/a/id}|path: /a/id} (expected: a parameter to fill a whole segment, e.g. /{id})",
            "/a/x{id}|path: /a/x{id} (expected: a parameter to fill a whole segment, e.g. /{id})",
            "/a/{id}x|path: /a/{id}x (expected: '}' to end segment {id}x)",
            "/{rest: .*}/b|path: /{rest: .*}/b (expected: a rest-of-path parameter only as the last segment)",
            "/a/{id: [0-9+}|path: /a/{id: [0-9+} (expected: a valid regular expression in {id: [0-9+}: Unclosed character class)",
            "/a//b|path: /a//b (expected: no empty segment)",
            "/{}|path: /{} (expected: a parameter name in {})",
            "/{1x}|path: /{1x} (expected: a parameter name in {1x})",
            "a/b|path: a/b (expected: a template starting with '/')"})
    void invalidTemplatesAreRefusedWithTheReason(String template, String message) {
        assertThatThrownBy(() -> route("GET", template))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void invalidMethodsAreRefused() {
        assertThatThrownBy(() -> route("GE T", "/a")).hasMessage("method: GE T (expected: an HTTP method or '*')");
        assertThat(route(" get ", "/a").method()).isEqualTo("GET");
    }

    @Test
    void theEmptyTableMatchesNothing() {
        assertThat(RouteTable.of(List.of())).isSameAs(RouteTable.empty());
        assertThat(RouteTable.empty().match("GET", "/")).isNull();
    }

    @Test
    void randomPathsNeverThrowAndGeneratedOnesMatchTheirTemplate() {
        List<String> templates = List.of("/users/{id}", "/users/{id}/orders/{order: [0-9]+}", "/files/{path: .*}",
                "/v1/items/{sku: [A-Z]{3}-[0-9]{2}}", "/v1/items/new", "/a/{b}/c/{d}");
        List<RoutePolicy> routes = new ArrayList<>();
        for (String t : templates) {
            routes.add(route("GET", t));
        }
        RouteTable table = RouteTable.of(routes);
        Random random = new Random(20300101L);
        String alphabet = "ab/AZ09-_.~%{}:*? ü\u0000/";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(40);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String path = (random.nextInt(10) == 0 ? "" : "/") + sb;
            assertThatCode(() -> table.match("GET", path)).as(path).doesNotThrowAnyException();
        }
        for (int i = 0; i < 2_000; i++) {
            String id = segment(random);
            String order = Integer.toString(random.nextInt(100_000));
            RouteMatch m = table.match("GET", "/users/" + id + "/orders/" + order);
            assertThat(m).isNotNull();
            assertThat(m.route().path()).isEqualTo("/users/{id}/orders/{order: [0-9]+}");
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("id", id);
            expected.put("order", order);
            assertThat(m.parameters()).isEqualTo(expected);
            String rest = segment(random) + "/" + segment(random);
            assertThat(table.match("GET", "/files/" + rest).parameters()).isEqualTo(Map.of("path", rest));
        }
    }

    private static String segment(Random random) {
        String chars = "abcXYZ019-_.~{}%:@ü";
        StringBuilder sb = new StringBuilder();
        int n = 1 + random.nextInt(8);
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(random.nextInt(chars.length())));
        }
        return sb.toString();
    }
}
