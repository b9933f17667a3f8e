package io.aegis.gateway.mesh.internal;

import static io.aegis.gateway.mesh.internal.Docs.map;
import static io.aegis.gateway.mesh.internal.Docs.metadata;
import static io.aegis.gateway.mesh.internal.Docs.object;

import io.aegis.gateway.mesh.ExtAuthzSpec;
import io.aegis.gateway.mesh.MeshCaller;
import io.aegis.gateway.mesh.MeshDescription;
import io.aegis.gateway.mesh.MeshTraffic;
import io.aegis.gateway.mesh.MeshUpstream;
import io.aegis.gateway.mesh.MeshVersion;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The Istio resources of a service ({@code networking.istio.io/v1}, {@code security.istio.io/v1}). */
public final class IstioProjection {

    /** The VirtualService annotations that carry a rollout, read back by the canary command. */
    public static final String ROLLOUT_STABLE = "aegis.io/rollout-stable";
    public static final String ROLLOUT_CANARY = "aegis.io/rollout-canary";
    public static final String ROLLOUT_STAGES = "aegis.io/rollout-stages";

    /** The status classes the mesh retries when the in-process clients retry everything else. */
    static final String CONNECT_ONLY = "connect-failure,refused-stream";

    private static final String NETWORKING = "networking.istio.io/v1";
    private static final String SECURITY = "security.istio.io/v1";

    private IstioProjection() {
    }

    public static Map<String, Object> peerAuthentication(MeshDescription d) {
        Map<String, Object> spec = d.namespaceMtls()
                ? map("mtls", map("mode", "STRICT"))
                : map("selector", map("matchLabels", Docs.appSelector(d)), "mtls", map("mode", "STRICT"));
        return object(SECURITY, "PeerAuthentication", metadata(d, d.namespaceMtls() ? "default" : d.service()), spec);
    }

    public static Map<String, Object> destinationRule(MeshDescription d) {
        MeshTraffic t = d.traffic();
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("tls", map("mode", "ISTIO_MUTUAL"));
        policy.put("connectionPool", connectionPool(t));
        Map<String, Object> lb = map("simple", t.loadBalancing() == MeshTraffic.LoadBalancing.LEAST_REQUESTS
                ? "LEAST_REQUEST" : "ROUND_ROBIN");
        if (!d.failover().isEmpty()) {
            lb.put("localityLbSetting", map("enabled", true, "failover", d.failover().stream()
                    .map(f -> map("from", f.from(), "to", f.to())).toList()));
        }
        policy.put("loadBalancer", lb);
        Map<String, Object> outlier = outlierDetection(t);
        if (outlier != null) {
            policy.put("outlierDetection", outlier);
        }
        if (t.retryLayer() == MeshTraffic.RetryLayer.MESH) {
            policy.put("retryBudget", map("percent", Math.round(t.retry().budgetRatio() * 1000) / 10.0, "minRetryConcurrency", 3));
        }
        List<Object> subsets = d.versions().stream()
                .map(v -> (Object) map("name", v.id(), "labels", map("version", v.label()))).toList();
        return object(NETWORKING, "DestinationRule", metadata(d, d.service()),
                map("host", d.fqdn(), "trafficPolicy", policy, "subsets", subsets));
    }

    /** The bulkhead as Envoy's circuit-breaker thresholds; retries in flight bounded by the retry budget. */
    static Map<String, Object> connectionPool(MeshTraffic t) {
        MeshTraffic.Bulkhead b = t.bulkhead();
        int maxRetries = (int) Math.max(1, Math.ceil(b.maxConcurrent() * t.retry().budgetRatio()));
        return map("tcp", map("maxConnections", b.maxConcurrent(), "connectTimeout", Durations.go(t.timeouts().connect())),
                "http", map("http1MaxPendingRequests", Math.max(1, b.maxQueue()), "http2MaxRequests", b.maxConcurrent(),
                        "maxRetries", maxRetries));
    }

    /**
     * Outlier detection from the in-process ejection settings, or, when those are off, from the
     * circuit breaker (a target failing {@code failureThreshold} times in a row is left alone for
     * the breaker's open time); {@code null} when both are off.
     */
    static Map<String, Object> outlierDetection(MeshTraffic t) {
        MeshTraffic.OutlierDetection o = t.outlierDetection();
        MeshTraffic.CircuitBreaker cb = t.circuitBreaker();
        if (o.enabled()) {
            return map("consecutive5xxErrors", o.consecutive5xx(), "consecutiveGatewayErrors", o.consecutiveGatewayFailures(),
                    "interval", Durations.go(cb.failureRateWindow()), "baseEjectionTime", Durations.go(o.baseEjectionTime()),
                    "maxEjectionPercent", o.maxEjectionPercent());
        }
        if (cb.enabled()) {
            return map("consecutive5xxErrors", cb.failureThreshold(), "consecutiveGatewayErrors", cb.failureThreshold(),
                    "interval", Durations.go(cb.failureRateWindow()), "baseEjectionTime", Durations.go(cb.openDuration()),
                    "maxEjectionPercent", 50);
        }
        return null;
    }

    public static Map<String, Object> virtualService(MeshDescription d) {
        List<Object> http = new ArrayList<>();
        for (MeshVersion v : d.versions()) {
            List<Routing.Destination> dest = Routing.forPrefix(d, v);
            if (dest.isEmpty()) {
                continue;
            }
            String exact = v.prefix().substring(0, v.prefix().length() - 1);
            http.add(httpRoute(d, v.id(), List.of(map("uri", map("prefix", v.prefix())), map("uri", map("exact", exact))), dest));
        }
        http.add(httpRoute(d, "default", null, Routing.shared(d)));
        Map<String, Object> meta = metadata(d, d.service());
        if (d.rollout() != null) {
            meta.put("annotations", map(ROLLOUT_STABLE, d.rollout().stable(), ROLLOUT_CANARY, d.rollout().canary(),
                    ROLLOUT_STAGES, d.rollout().stages().stream().map(String::valueOf).collect(Collectors.joining(","))));
        }
        return object(NETWORKING, "VirtualService", meta, map("hosts", List.of(d.fqdn()), "http", http));
    }

    private static Map<String, Object> httpRoute(MeshDescription d, String name, List<Object> match,
                                                 List<Routing.Destination> dest) {
        MeshTraffic t = d.traffic();
        List<Object> route = dest.stream().map(x -> (Object) map("destination", map("host", d.fqdn(), "subset",
                x.version().id(), "port", map("number", d.port())), "weight", x.weight())).toList();
        Map<String, Object> retries;
        String timeout;
        if (t.retryLayer() == MeshTraffic.RetryLayer.MESH) {
            // Envoy retries: the in-process clients try once, so the mesh holds the whole call's deadline.
            timeout = Durations.go(t.timeouts().total());
            int attempts = t.retry().maxAttempts() - 1;
            String on = CONNECT_ONLY + ",reset" + t.retry().retryOn().stream().map(s -> "," + s).collect(Collectors.joining());
            retries = attempts == 0 ? map("attempts", 0)
                    : map("attempts", attempts, "perTryTimeout", Durations.go(t.timeouts().perTry()), "retryOn", on);
        } else {
            // Each in-process try is one request through the mesh: bounded by the per-try limit, and
            // retried by Envoy only when no connection could be made (the request never reached a server).
            timeout = Durations.go(t.timeouts().perTry());
            retries = map("attempts", 1, "perTryTimeout", Durations.go(t.timeouts().perTry()), "retryOn", CONNECT_ONLY);
        }
        return map("name", name, "match", match, "route", route, "timeout", timeout, "retries", retries);
    }

    public static Map<String, Object> requestAuthentication(MeshDescription d) {
        if (d.auth().issuer() == null || d.auth().jwksUri() == null) {
            return null;
        }
        Map<String, Object> rule = map("issuer", d.auth().issuer(), "jwksUri", d.auth().jwksUri(),
                "audiences", d.auth().audiences(), "forwardOriginalToken", true);
        return object(SECURITY, "RequestAuthentication", metadata(d, d.service()),
                map("selector", map("matchLabels", Docs.appSelector(d)), "jwtRules", List.of(rule)));
    }

    /** DENY (routes that deny everyone), CUSTOM (the ext_authz sidecar), then ALLOW (who may call what). */
    public static List<Map<String, Object>> authorizationPolicies(MeshDescription d) {
        List<Map<String, Object>> out = new ArrayList<>();
        Map<String, Object> selector = map("matchLabels", Docs.appSelector(d));
        List<RoutePolicy> denied = d.routes().stream().filter(r -> r.access() == Access.DENY_ALL).toList();
        if (!denied.isEmpty()) {
            out.add(object(SECURITY, "AuthorizationPolicy", metadata(d, d.service() + "-deny"),
                    map("selector", selector, "action", "DENY", "rules", List.of(map("to", operations(d, denied))))));
        }
        if (d.extAuthz().enabled()) {
            out.add(object(SECURITY, "AuthorizationPolicy", metadata(d, d.service() + "-ext-authz"),
                    map("selector", selector, "action", "CUSTOM", "provider", map("name", ExtAuthzSpec.PROVIDER),
                            "rules", List.of(map("to", List.of(map("operation", map("ports", List.of(String.valueOf(d.port())),
                                    "notPaths", List.of("/health", "/health/*")))))))));
        }
        List<Object> rules = new ArrayList<>();
        List<RoutePolicy> open = d.routes().stream().filter(RoutePolicy::isPublic).toList();
        if (!open.isEmpty()) {
            rules.add(map("to", operations(d, open)));
        }
        List<RoutePolicy> authenticated = d.routes().stream().filter(r -> r.access() == Access.AUTHENTICATED).toList();
        for (MeshCaller c : d.callers()) {
            List<RoutePolicy> allowed = authenticated.stream().filter(r -> r.scopes().isSatisfiedBy(c.scopes())).toList();
            if (allowed.isEmpty()) {
                continue;
            }
            if (c.isMesh()) {
                rules.add(map("from", List.of(map("source", map("principals", List.of(c.principal())))),
                        "to", operations(d, allowed)));
            } else if (c.edge() == MeshCaller.EdgeCredential.JWT) {
                // End users through the edge: Kong's workload identity and a token the mesh verified.
                List<RoutePolicy> jwt = allowed.stream().filter(r -> r.authSchemes().contains(AuthScheme.JWT)).toList();
                if (!jwt.isEmpty() && d.auth().issuer() != null) {
                    rules.add(map("from", List.of(map("source", map("principals", List.of(d.kong().principal()),
                            "requestPrincipals", List.of(d.auth().issuer() + "/*")))), "to", operations(d, jwt)));
                }
            } else {
                List<RoutePolicy> keyed = allowed.stream().filter(r -> r.authSchemes().contains(AuthScheme.API_KEY)).toList();
                if (!keyed.isEmpty()) {
                    rules.add(map("from", List.of(map("source", map("principals", List.of(d.kong().principal())))),
                            "to", operations(d, keyed)));
                }
            }
        }
        // An ALLOW policy without rules would deny everything; with rules, whatever they do not match is denied.
        if (!rules.isEmpty()) {
            out.add(object(SECURITY, "AuthorizationPolicy", metadata(d, d.service()),
                    map("selector", selector, "action", "ALLOW", "rules", rules)));
        }
        return out;
    }

    /** Operations on the service port: routes grouped by method set, paths sorted. */
    private static List<Object> operations(MeshDescription d, List<RoutePolicy> routes) {
        Map<String, TreeSet<String>> byMethod = new TreeMap<>();
        for (RoutePolicy r : routes) {
            byMethod.computeIfAbsent(r.method(), k -> new TreeSet<>()).add(Routing.istioPath(r));
        }
        List<Object> out = new ArrayList<>();
        byMethod.forEach((method, paths) -> out.add(map("operation", map("ports", List.of(String.valueOf(d.port())),
                "methods", method.equals(RoutePolicy.ANY_METHOD) ? null : List.of(method), "paths", List.copyOf(paths)))));
        return out;
    }

    public static Map<String, Object> sidecar(MeshDescription d) {
        TreeSet<String> hosts = new TreeSet<>();
        hosts.add("istio-system/*");
        d.upstreams().stream().map(MeshUpstream::egressHost).forEach(hosts::add);
        hosts.addAll(d.egressHosts());
        host(d.auth().jwksUri()).ifPresent(hosts::add);
        host(d.otlpEndpoint()).ifPresent(hosts::add);
        if (d.extAuthz().enabled()) {
            hosts.add("./" + ExtAuthzSpec.HOST);
        }
        MeshTraffic.Bulkhead b = d.traffic().bulkhead();
        return object(NETWORKING, "Sidecar", metadata(d, d.service()), map(
                "workloadSelector", map("labels", Docs.appSelector(d)),
                "inboundConnectionPool", map("http", map("http1MaxPendingRequests", Math.max(1, b.maxQueue()),
                        "http2MaxRequests", b.maxConcurrent())),
                "egress", List.of(map("hosts", List.copyOf(hosts))),
                "outboundTrafficPolicy", map("mode", "REGISTRY_ONLY")));
    }

    /** The egress form of a URL's host: {@code ns/host} inside the cluster, {@code * /host} outside. */
    private static java.util.Optional<String> host(String url) {
        if (url == null) {
            return java.util.Optional.empty();
        }
        String h = URI.create(url).getHost();
        if (h == null) {
            return java.util.Optional.empty();
        }
        String[] parts = h.split("\\.");
        return java.util.Optional.of(h.endsWith(".svc.cluster.local") && parts.length >= 5 ? parts[1] + "/" + h
                : h.endsWith(".svc") && parts.length == 3 ? parts[1] + "/" + h : "*/" + h);
    }

    /** The loopback ServiceEntry that makes the pod's own ext_authz sidecar addressable as a provider. */
    public static Map<String, Object> serviceEntry(MeshDescription d) {
        if (!d.extAuthz().enabled()) {
            return null;
        }
        return object(NETWORKING, "ServiceEntry", metadata(d, ExtAuthzSpec.PROVIDER), map(
                "hosts", List.of(ExtAuthzSpec.HOST),
                "exportTo", List.of("."),
                "location", "MESH_INTERNAL",
                "ports", List.of(map("name", "http", "number", d.extAuthz().port(), "protocol", "HTTP")),
                "resolution", "STATIC",
                "endpoints", List.of(map("address", "127.0.0.1"))));
    }
}
