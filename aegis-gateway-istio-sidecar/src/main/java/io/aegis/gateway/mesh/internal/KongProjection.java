package io.aegis.gateway.mesh.internal;

import static io.aegis.gateway.mesh.internal.Docs.map;

import io.aegis.gateway.mesh.KongSpec;
import io.aegis.gateway.mesh.MeshCaller;
import io.aegis.gateway.mesh.MeshDescription;
import io.aegis.gateway.mesh.MeshTraffic;
import io.aegis.gateway.mesh.MeshVersion;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.Limit;
import io.aegis.gateway.ratelimit.LimitSet;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Kong declarative configuration ({@code _format_version: "3.0"}, Kong OSS 3.9 plugins) of a
 * service: the service and its upstream (targets, weights, active and passive health checks), a
 * route per API version with the edge's authentication ({@code jwt}, {@code key-auth}), coarse
 * authorization ({@code acl} on scope groups) and deprecation headers ({@code response-transformer}),
 * a regex route per public route without authentication, and the service-wide plugins
 * ({@code rate-limiting} in Redis, {@code cors}, {@code ip-restriction}, {@code request-size-limiting},
 * {@code prometheus}, {@code opentelemetry}, {@code correlation-id}). Edge callers become consumers
 * whose ACL groups are their scopes; secrets are decK environment references, never values.
 */
public final class KongProjection {

    /** The ACL group every generated consumer belongs to (routes whose scopes vary admit it). */
    public static final String AUTHENTICATED_GROUP = "authenticated";
    /** The consumer requests fall back to when a route accepts several credentials. */
    public static final String ANONYMOUS = "aegis-anonymous";

    private static final DateTimeFormatter IMF = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private KongProjection() {
    }

    public static Map<String, Object> declarativeConfig(MeshDescription d) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_format_version", "3.0");
        doc.put("_info", map("select_tags", List.of("aegis-" + d.service())));
        doc.put("services", List.of(service(d)));
        doc.put("upstreams", List.of(upstream(d)));
        List<Object> consumers = consumers(d);
        if (!consumers.isEmpty()) {
            doc.put("consumers", consumers);
        }
        return doc;
    }

    static String upstreamName(MeshDescription d) {
        return d.service() + ".upstream";
    }

    private static Map<String, Object> service(MeshDescription d) {
        MeshTraffic.Timeouts t = d.traffic().timeouts();
        List<Object> routes = new ArrayList<>();
        for (MeshVersion v : d.versions()) {
            if (Routing.forPrefix(d, v).isEmpty()) {
                continue;
            }
            List<RoutePolicy> own = Routing.routesOf(d, v);
            List<Object> plugins = new ArrayList<>();
            List<RoutePolicy> authenticated = own.stream().filter(r -> r.access() == Access.AUTHENTICATED).toList();
            boolean jwt = authenticated.stream().anyMatch(r -> r.authSchemes().contains(AuthScheme.JWT));
            boolean key = authenticated.stream().anyMatch(r -> r.authSchemes().contains(AuthScheme.API_KEY));
            String anon = jwt && key ? ANONYMOUS : null;
            if (jwt) {
                Map<String, Object> config = map("key_claim_name", d.kong().jwtKeyClaim(), "claims_to_verify", List.of("exp"),
                        "header_names", List.of("authorization"), "run_on_preflight", false, "anonymous", anon);
                // Tokens only in the Authorization header: never from a query parameter or a cookie.
                config.put("uri_param_names", List.of());
                config.put("cookie_names", List.of());
                plugins.add(plugin("jwt", config));
            }
            if (key) {
                plugins.add(plugin("key-auth", map("key_names", List.of(d.auth().apiKeyHeader()), "key_in_header", true,
                        "key_in_query", false, "key_in_body", false, "hide_credentials", true, "run_on_preflight", false,
                        "anonymous", anon)));
            }
            if (jwt || key) {
                plugins.add(plugin("acl", map("allow", aclGroups(authenticated), "hide_groups_header", true)));
            }
            Map<String, Object> deprecation = deprecationHeaders(d, v);
            if (deprecation != null) {
                plugins.add(deprecation);
            }
            routes.add(route(d, d.service() + "-" + v.id(), null, List.of(v.prefix()), plugins));
        }
        List<RoutePolicy> open = d.routes().stream().filter(RoutePolicy::isPublic).toList();
        int n = 0;
        for (RoutePolicy r : open) {
            routes.add(route(d, d.service() + "-public-" + (++n), r.method().equals(RoutePolicy.ANY_METHOD) ? null
                    : List.of(r.method()), List.of(Routing.kongRegex(r)), List.of()));
        }
        Map<String, Object> s = map("name", d.service(), "protocol", "http", "host", upstreamName(d), "port", d.port(),
                "connect_timeout", t.connect().toMillis(), "read_timeout", t.perTry().toMillis(),
                "write_timeout", t.perTry().toMillis(),
                // Kong never retries: the mesh retries refused connections (or everything, with the mesh retry layer).
                "retries", 0,
                "routes", routes, "plugins", servicePlugins(d));
        return s;
    }

    private static Map<String, Object> route(MeshDescription d, String name, List<String> methods, List<String> paths,
                                             List<Object> plugins) {
        return map("name", name, "methods", methods, "hosts", d.hosts(), "paths", paths,
                "protocols", List.of("http", "https"), "strip_path", false, "preserve_host", true, "plugins", plugins);
    }

    private static Map<String, Object> plugin(String name, Map<String, Object> config) {
        return map("name", name, "config", config);
    }

    /**
     * The groups that may use a version: the scopes its routes require (a consumer with none of
     * them can call none of its routes), or every authenticated consumer when some route needs no scope.
     */
    private static List<String> aclGroups(List<RoutePolicy> authenticated) {
        TreeSet<String> groups = new TreeSet<>();
        for (RoutePolicy r : authenticated) {
            if (r.scopes().isEmpty()) {
                return List.of(AUTHENTICATED_GROUP);
            }
            groups.addAll(r.scopes().values());
        }
        return groups.isEmpty() ? List.of(AUTHENTICATED_GROUP) : List.copyOf(groups);
    }

    /** RFC 9745 {@code Deprecation}, RFC 8594 {@code Sunset} and {@code Link}, added when the service did not set them. */
    private static Map<String, Object> deprecationHeaders(MeshDescription d, MeshVersion v) {
        if (v.deprecation() == null && v.sunset() == null) {
            return null;
        }
        List<String> headers = new ArrayList<>();
        if (v.deprecation() != null) {
            headers.add("Deprecation:@" + v.deprecation().getEpochSecond());
        }
        if (v.sunset() != null) {
            headers.add("Sunset:" + IMF.format(v.sunset()));
        }
        List<String> links = new ArrayList<>();
        if (v.migrationGuide() != null) {
            links.add("<" + v.migrationGuide() + ">; rel=\"deprecation\"; type=\"text/html\"");
        }
        MeshVersion successor = v.successor() == null ? null : d.version(v.successor());
        if (successor != null) {
            links.add("<" + successor.prefix() + ">; rel=\"successor-version\"");
        }
        if (!links.isEmpty()) {
            headers.add("Link:" + String.join(", ", links));
        }
        return plugin("response-transformer", map("add", map("headers", headers)));
    }

    private static List<Object> servicePlugins(MeshDescription d) {
        List<Object> out = new ArrayList<>();
        if (d.rateLimitsEnabled()) {
            out.add(rateLimiting(d));
        }
        if (!d.cors().origins().isEmpty()) {
            List<String> methods = new ArrayList<>(Routing.methods(d.routes()));
            if (!methods.isEmpty() && !methods.contains("OPTIONS")) {
                methods.add("OPTIONS");
            }
            out.add(plugin("cors", map("origins", d.cors().origins(),
                    "methods", methods.isEmpty() ? null : methods.stream().sorted().toList(),
                    "headers", List.of("Accept", "Api-Version", "Authorization", "Content-Type", d.auth().apiKeyHeader(),
                            "traceparent", "X-Request-ID").stream().distinct().toList(),
                    "exposed_headers", List.of("Api-Version", "Deprecation", "Link", "RateLimit", "RateLimit-Policy",
                            "Retry-After", "Sunset", "X-Request-ID"),
                    "credentials", d.cors().credentials(), "max_age", d.cors().maxAgeSeconds(), "preflight_continue", false)));
        }
        if (!d.ipAllow().isEmpty() || !d.ipDeny().isEmpty()) {
            out.add(plugin("ip-restriction", map("allow", d.ipAllow(), "deny", d.ipDeny(), "status", 403,
                    "message", "Forbidden")));
        }
        if (d.maxBodyBytes() > 0) {
            out.add(plugin("request-size-limiting", map("allowed_payload_size", (int) ((d.maxBodyBytes() + 1023) / 1024),
                    "size_unit", "kilobytes", "require_content_length", false)));
        }
        out.add(plugin("prometheus", map("status_code_metrics", true, "latency_metrics", true, "bandwidth_metrics", true,
                "upstream_health_metrics", true, "per_consumer", false)));
        if (d.kong().otlpTracesEndpoint() != null) {
            out.add(plugin("opentelemetry", map("traces_endpoint", d.kong().otlpTracesEndpoint(),
                    "resource_attributes", map("service.name", "kong", "deployment.environment", d.environment()),
                    "propagation", map("default_format", "w3c"))));
        }
        out.add(plugin("correlation-id", map("header_name", "X-Request-ID", "generator", "uuid", "echo_downstream", true)));
        return out;
    }

    /**
     * The edge ceiling: per client address, at least the rate of the most generous tier (the
     * library enforces each caller's own tier), each bandwidth mapped onto Kong's fixed windows.
     */
    private static Map<String, Object> rateLimiting(MeshDescription d) {
        Map<String, Long> windows = new LinkedHashMap<>();
        for (Tier tier : Tier.values()) {
            LimitSet set = d.tierLimits().forTier(tier);
            for (Limit l : set.limits()) {
                String unit = kongWindow(l.window());
                long count = kongCount(l, unit);
                windows.merge(unit, count, Math::max);
            }
        }
        KongSpec k = d.kong();
        Map<String, Object> redis = map("host", k.redisHost(), "port", k.redisPort(), "database", k.redisDatabase(),
                "timeout", k.redisTimeoutMs(), "ssl", k.redisSsl(),
                "password", k.redisPasswordEnv() == null ? null : "${{ env \"" + k.redisPasswordEnv() + "\" }}");
        Map<String, Object> config = new LinkedHashMap<>();
        for (String unit : List.of("second", "minute", "hour", "day")) {
            if (windows.containsKey(unit)) {
                config.put(unit, windows.get(unit));
            }
        }
        config.putAll(map("limit_by", "ip", "policy", "redis", "redis", redis, "fault_tolerant", true,
                "hide_client_headers", false, "error_code", 429, "error_message", "API rate limit exceeded"));
        return plugin("rate-limiting", config);
    }

    /** The smallest Kong window at least as long as the limit's. */
    static String kongWindow(Duration window) {
        long s = Math.max(1, (window.toMillis() + 999) / 1000);
        return s <= 1 ? "second" : s <= 60 ? "minute" : s <= 3600 ? "hour" : "day";
    }

    /** The limit's count scaled to the Kong window (rounded up: the edge must not be stricter). */
    static long kongCount(Limit l, String unit) {
        long unitMs = switch (unit) {
            case "second" -> 1000L;
            case "minute" -> 60_000L;
            case "hour" -> 3_600_000L;
            default -> 86_400_000L;
        };
        long windowMs = Math.max(1, l.window().toMillis());
        return Math.max(1, (long) Math.ceil((double) l.count() * unitMs / windowMs));
    }

    private static Map<String, Object> upstream(MeshDescription d) {
        MeshTraffic t = d.traffic();
        List<MeshTraffic.Target> targets = t.targets().isEmpty()
                ? List.of(new MeshTraffic.Target(d.fqdn(), d.port(), 100)) : t.targets();
        Map<String, Object> checks = new LinkedHashMap<>();
        MeshTraffic.HealthCheck h = t.healthCheck();
        if (h != null) {
            long interval = Math.max(1, h.interval().toSeconds());
            checks.put("active", map("type", "http", "http_path", h.path(), "timeout", Math.max(1, h.timeout().toSeconds()),
                    "concurrency", 10,
                    "healthy", map("interval", interval, "successes", h.healthyThreshold(), "http_statuses", List.of(200, 204)),
                    "unhealthy", map("interval", interval, "http_failures", h.unhealthyThreshold(),
                            "tcp_failures", h.unhealthyThreshold(), "timeouts", h.unhealthyThreshold(),
                            "http_statuses", List.of(500, 502, 503, 504))));
        }
        MeshTraffic.OutlierDetection o = t.outlierDetection();
        if (o.enabled()) {
            checks.put("passive", map("type", "http",
                    "healthy", map("successes", 5, "http_statuses", List.of(200, 201, 202, 204, 301, 302, 304, 400, 401, 403, 404)),
                    "unhealthy", map("http_failures", Math.min(255, o.consecutive5xx()),
                            "tcp_failures", Math.min(255, o.consecutiveGatewayFailures()),
                            "timeouts", Math.min(255, o.consecutiveGatewayFailures()),
                            "http_statuses", List.of(500, 502, 503, 504))));
        }
        String algorithm = t.loadBalancing() == MeshTraffic.LoadBalancing.LEAST_REQUESTS ? "least-connections" : "round-robin";
        return map("name", upstreamName(d), "algorithm", algorithm, "healthchecks", checks,
                "targets", targets.stream().map(x -> (Object) map("target", x.authority(), "weight", x.weight())).toList());
    }

    private static List<Object> consumers(MeshDescription d) {
        List<Object> out = new ArrayList<>();
        boolean anonymous = false;
        for (MeshVersion v : d.versions()) {
            List<RoutePolicy> own = Routing.routesOf(d, v).stream().filter(r -> r.access() == Access.AUTHENTICATED).toList();
            anonymous |= own.stream().anyMatch(r -> r.authSchemes().contains(AuthScheme.JWT))
                    && own.stream().anyMatch(r -> r.authSchemes().contains(AuthScheme.API_KEY));
        }
        for (MeshCaller c : d.callers()) {
            if (c.isMesh()) {
                continue;
            }
            List<Object> acls = new ArrayList<>();
            acls.add(map("group", AUTHENTICATED_GROUP));
            c.scopes().forEach(s -> acls.add(map("group", s)));
            String env = "DECK_" + c.name().toUpperCase(Locale.ROOT).replace('-', '_');
            Map<String, Object> consumer = map("username", c.name(), "acls", acls);
            if (c.edge() == MeshCaller.EdgeCredential.JWT && d.auth().issuer() != null) {
                // The schema requires a secret; RS256 verifies with the public key and never reads it.
                consumer.put("jwt_secrets", List.of(map("key", d.auth().issuer(), "algorithm", "RS256",
                        "rsa_public_key", "${{ env \"" + env + "_RSA_PUBLIC_KEY\" }}", "secret", "not-used-with-RS256")));
            } else if (c.edge() == MeshCaller.EdgeCredential.API_KEY) {
                consumer.put("keyauth_credentials", List.of(map("key", "${{ env \"" + env + "_API_KEY\" }}")));
            }
            out.add(consumer);
        }
        if (anonymous) {
            out.add(map("username", ANONYMOUS));
        }
        return out;
    }
}
