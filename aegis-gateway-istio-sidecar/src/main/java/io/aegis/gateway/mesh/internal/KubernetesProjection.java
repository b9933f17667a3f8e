package io.aegis.gateway.mesh.internal;

import static io.aegis.gateway.mesh.internal.Docs.map;
import static io.aegis.gateway.mesh.internal.Docs.metadata;
import static io.aegis.gateway.mesh.internal.Docs.object;

import io.aegis.gateway.mesh.ExtAuthzSpec;
import io.aegis.gateway.mesh.KubernetesSpec;
import io.aegis.gateway.mesh.MeshDescription;
import io.aegis.gateway.mesh.MeshVersion;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.RateLimitRule;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The Kubernetes objects of a service: namespace, service account, Deployments, Service, HPAs, PDB, sidecar config. */
public final class KubernetesProjection {

    /** The custom per-pod metric the HPA scales on besides CPU (served by a metrics adapter). */
    public static final String RPS_METRIC = "http_server_requests_per_second";
    /** Where the ext_authz sidecar reads the service's configuration. */
    public static final String CONFIG_PATH = "/etc/aegis/aegis.properties";

    private KubernetesProjection() {
    }

    public static Map<String, Object> namespace(MeshDescription d) {
        Map<String, Object> labels = new LinkedHashMap<>(Docs.labels(d));
        labels.remove("app.kubernetes.io/name");
        labels.put("istio-injection", "enabled");
        return map("apiVersion", "v1", "kind", "Namespace", "metadata", map("name", d.namespace(), "labels", labels));
    }

    public static Map<String, Object> serviceAccount(MeshDescription d) {
        return map("apiVersion", "v1", "kind", "ServiceAccount", "metadata", metadata(d, d.serviceAccount()));
    }

    /** The replicas of a version: its share of the stable replica count, at least one. */
    static int replicas(MeshDescription d, MeshVersion v) {
        return Math.max(1, (int) Math.round(d.kubernetes().replicas() * v.weight() / 100.0));
    }

    public static List<Map<String, Object>> deployments(MeshDescription d) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MeshVersion v : Routing.deployed(d)) {
            KubernetesSpec k = d.kubernetes();
            Map<String, Object> podLabels = new LinkedHashMap<>(Docs.labels(d));
            podLabels.put("app", d.service());
            podLabels.put("version", v.label());
            podLabels.put("sidecar.istio.io/inject", "true");
            List<Object> containers = new ArrayList<>();
            containers.add(map("name", d.service(), "image", k.image() + ":" + v.label(),
                    "ports", List.of(map("name", "http", "containerPort", d.port())),
                    "env", env(d, v),
                    "readinessProbe", map("httpGet", map("path", "/health/ready", "port", "http"), "periodSeconds", 5,
                            "failureThreshold", 3),
                    "livenessProbe", map("httpGet", map("path", "/health/live", "port", "http"), "initialDelaySeconds", 10,
                            "periodSeconds", 10, "failureThreshold", 3),
                    "resources", resources(k),
                    "securityContext", securityContext()));
            List<Object> volumes = new ArrayList<>();
            if (d.extAuthz().enabled()) {
                ExtAuthzSpec e = d.extAuthz();
                containers.add(map("name", "aegis-ext-authz", "image", e.image(), "args", List.of("serve-ext-authz"),
                        "ports", List.of(map("name", "ext-authz", "containerPort", e.port())),
                        "env", List.of(map("name", "AEGIS_CONFIG_FILE", "value", CONFIG_PATH)),
                        "volumeMounts", List.of(map("name", "aegis-config", "mountPath", "/etc/aegis", "readOnly", true)),
                        "readinessProbe", map("httpGet", map("path", "/health/ready", "port", "ext-authz"), "periodSeconds", 5),
                        "livenessProbe", map("httpGet", map("path", "/health/live", "port", "ext-authz"), "periodSeconds", 10),
                        "resources", map("requests", map("cpu", "100m", "memory", "128Mi"), "limits", map("cpu", "500m", "memory", "256Mi")),
                        "securityContext", securityContext()));
                volumes.add(map("name", "aegis-config", "configMap", map("name", configMapName(d))));
            }
            Map<String, Object> pod = map(
                    "metadata", map("labels", podLabels, "annotations", map("prometheus.io/scrape", "true",
                            "prometheus.io/port", "15020", "prometheus.io/path", "/stats/prometheus")),
                    "spec", map("serviceAccountName", d.serviceAccount(), "containers", containers, "volumes", volumes));
            Map<String, Object> selector = map("matchLabels", map("app", d.service(), "version", v.label()));
            Map<String, Object> meta = metadata(d, deploymentName(d, v));
            @SuppressWarnings("unchecked")
            Map<String, Object> labels = (Map<String, Object>) meta.get("labels");
            labels.put("app", d.service());
            labels.put("version", v.label());
            out.add(object("apps/v1", "Deployment", meta, map("replicas", replicas(d, v), "selector", selector,
                    "strategy", map("type", "RollingUpdate", "rollingUpdate", map("maxUnavailable", 0, "maxSurge", 1)),
                    "template", pod)));
        }
        return out;
    }

    static String deploymentName(MeshDescription d, MeshVersion v) {
        return d.service() + "-" + v.label();
    }

    static String configMapName(MeshDescription d) {
        return d.service() + "-aegis";
    }

    private static Map<String, Object> securityContext() {
        return map("runAsNonRoot", true, "allowPrivilegeEscalation", false, "readOnlyRootFilesystem", true,
                "capabilities", map("drop", List.of("ALL")));
    }

    private static Map<String, Object> resources(KubernetesSpec k) {
        return map("requests", map("cpu", k.cpuRequest(), "memory", k.memoryRequest()),
                "limits", map("cpu", k.cpuLimit(), "memory", k.memoryLimit()));
    }

    /** The library's configuration as environment variables (MicroProfile Config mapping). */
    private static List<Object> env(MeshDescription d, MeshVersion v) {
        List<Object> env = new ArrayList<>();
        add(env, "MP_CONFIG_PROFILE", d.environment());
        add(env, "AEGIS_SERVICE_NAME", d.service());
        add(env, "AEGIS_SERVICE_ENVIRONMENT", d.environment());
        add(env, "AEGIS_HTTP_PORT", String.valueOf(d.port()));
        if (d.auth().issuer() != null) {
            add(env, "AEGIS_AUTH_JWT_ISSUER", d.auth().issuer());
        }
        if (d.auth().jwksUri() != null) {
            add(env, "AEGIS_AUTH_JWT_JWKS_URI", d.auth().jwksUri());
        }
        if (!d.auth().audiences().isEmpty()) {
            add(env, "AEGIS_AUTH_JWT_AUDIENCES", String.join(",", d.auth().audiences()));
        }
        for (Tier t : Tier.values()) {
            add(env, "AEGIS_RATELIMIT_TIERS_" + t.name() + "_LIMITS", d.tierLimits().forTier(t).toString());
        }
        if (!d.trustedProxies().isEmpty()) {
            add(env, "AEGIS_NETWORK_TRUSTED_PROXIES", String.join(",", d.trustedProxies()));
        }
        add(env, "OTEL_SERVICE_NAME", d.service());
        add(env, "OTEL_RESOURCE_ATTRIBUTES", "service.version=" + v.label() + ",deployment.environment=" + d.environment());
        if (d.otlpEndpoint() != null) {
            add(env, "OTEL_EXPORTER_OTLP_ENDPOINT", d.otlpEndpoint());
        }
        add(env, "JAVA_TOOL_OPTIONS", "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + d.logLevel());
        return env;
    }

    private static void add(List<Object> env, String name, String value) {
        env.add(map("name", name, "value", value));
    }

    public static Map<String, Object> service(MeshDescription d) {
        Map<String, Object> meta = metadata(d, d.service());
        @SuppressWarnings("unchecked")
        Map<String, Object> labels = (Map<String, Object>) meta.get("labels");
        labels.put("app", d.service());
        return object("v1", "Service", meta, map("selector", Docs.appSelector(d),
                "ports", List.of(map("name", "http", "port", d.port(), "targetPort", "http", "appProtocol", "http"))));
    }

    public static List<Map<String, Object>> autoscalers(MeshDescription d) {
        List<Map<String, Object>> out = new ArrayList<>();
        KubernetesSpec k = d.kubernetes();
        for (MeshVersion v : Routing.deployed(d)) {
            List<Object> metrics = new ArrayList<>();
            metrics.add(map("type", "Resource", "resource", map("name", "cpu",
                    "target", map("type", "Utilization", "averageUtilization", k.cpuUtilization()))));
            if (k.requestsPerSecond() > 0) {
                metrics.add(map("type", "Pods", "pods", map("metric", map("name", RPS_METRIC),
                        "target", map("type", "AverageValue", "averageValue", String.valueOf(k.requestsPerSecond())))));
            }
            int min = replicas(d, v);
            out.add(object("autoscaling/v2", "HorizontalPodAutoscaler", metadata(d, deploymentName(d, v)), map(
                    "scaleTargetRef", map("apiVersion", "apps/v1", "kind", "Deployment", "name", deploymentName(d, v)),
                    "minReplicas", min, "maxReplicas", Math.max(min, k.maxReplicas()), "metrics", metrics)));
        }
        return out;
    }

    public static Map<String, Object> podDisruptionBudget(MeshDescription d) {
        return object("policy/v1", "PodDisruptionBudget", metadata(d, d.service()),
                map("minAvailable", d.kubernetes().minAvailable(), "selector", map("matchLabels", Docs.appSelector(d))));
    }

    /** The sidecar's configuration: the library's keys, the service's routes, loopback Envoy trusted. */
    public static Map<String, Object> configMap(MeshDescription d) {
        if (!d.extAuthz().enabled()) {
            return null;
        }
        return map("apiVersion", "v1", "kind", "ConfigMap", "metadata", metadata(d, configMapName(d)),
                "data", map("aegis.properties", properties(d)));
    }

    /** The properties file of the ext_authz sidecar, deterministic (sorted sections, no timestamp). */
    public static String properties(MeshDescription d) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("aegis.service.name", d.service());
        p.put("aegis.service.environment", d.environment());
        p.put("aegis.auth.default-access", access(d.defaultAccess()));
        if (d.auth().issuer() != null) {
            p.put("aegis.auth.jwt.issuer", d.auth().issuer());
        }
        if (d.auth().jwksUri() != null) {
            p.put("aegis.auth.jwt.jwks-uri", d.auth().jwksUri());
        }
        if (!d.auth().audiences().isEmpty()) {
            p.put("aegis.auth.jwt.audiences", String.join(",", d.auth().audiences()));
        }
        p.put("aegis.ratelimit.enabled", String.valueOf(d.rateLimitsEnabled()));
        p.put("aegis.ratelimit.api-key-header", d.auth().apiKeyHeader());
        for (Tier t : Tier.values()) {
            p.put("aegis.ratelimit.tiers." + t.id() + ".limits", d.tierLimits().forTier(t).toString());
        }
        List<String> proxies = new ArrayList<>(List.of("127.0.0.1", "::1"));
        d.trustedProxies().stream().filter(x -> !proxies.contains(x)).forEach(proxies::add);
        p.put("aegis.network.trusted-proxies", String.join(",", proxies));
        p.put("aegis.ext-authz.port", String.valueOf(d.extAuthz().port()));
        p.put("aegis.ext-authz.path-prefix", d.extAuthz().pathPrefix());
        // The rest of the service's own configuration, except what is rendered here and secrets.
        d.configuration().forEach((k, v) -> {
            String lower = k.toLowerCase(Locale.ROOT);
            if (k.startsWith("aegis.") && !p.containsKey(k) && !k.startsWith("aegis.routes.")
                    && !k.startsWith("aegis.network.") && !lower.contains("secret") && !lower.contains("password")
                    && !k.startsWith("aegis.http.") && !k.startsWith("aegis.dev.")) {
                p.put(k, v);
            }
        });
        Set<String> ids = new HashSet<>();
        for (RoutePolicy r : d.routes()) {
            String id = routeId(r, ids);
            String pre = "aegis.routes." + id + ".";
            p.put(pre + "method", r.method());
            p.put(pre + "path", r.path());
            if (r.version() != null) {
                p.put(pre + "version", r.version());
            }
            p.put(pre + "access", access(r.access()));
            if (!r.scopes().isEmpty()) {
                p.put(pre + "scopes", String.join(",", new java.util.TreeSet<>(r.scopes().values())));
                p.put(pre + "scopes-mode", mode(r.scopes().mode()));
            }
            if (!r.roles().isEmpty()) {
                p.put(pre + "roles", String.join(",", new java.util.TreeSet<>(r.roles().values())));
                p.put(pre + "roles-mode", mode(r.roles().mode()));
            }
            if (!r.authSchemes().equals(List.of(AuthScheme.JWT))) {
                p.put(pre + "auth-schemes", r.authSchemes().stream()
                        .map(s -> s.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(",")));
            }
            RateLimitRule rule = r.rateLimit();
            if (rule != null) {
                p.put(pre + "rate-limit.key", rule.key().name().toLowerCase(Locale.ROOT).replace('_', '-'));
                if (rule.limits() != null) {
                    p.put(pre + "rate-limit.limits", rule.limits().toString());
                }
                if (rule.group() != null) {
                    p.put(pre + "rate-limit.group", rule.group());
                }
                if (rule.cost() != 1) {
                    p.put(pre + "rate-limit.cost", String.valueOf(rule.cost()));
                }
            }
        }
        StringBuilder sb = new StringBuilder("# Configuration of the aegis-ext-authz sidecar of ")
                .append(d.service()).append(" (").append(d.environment()).append("): the library's keys (docs/configuration.md).\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(escape(v)).append('\n'));
        return sb.toString();
    }

    private static String routeId(RoutePolicy r, Set<String> taken) {
        String base = (r.method().equals("*") ? "any" : r.method().toLowerCase(Locale.ROOT)) + "-"
                + r.path().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        String id = base.endsWith("-") || base.length() <= 4 ? base + "root" : base;
        String unique = id;
        for (int i = 2; !taken.add(unique); i++) {
            unique = id + "-" + i;
        }
        return unique;
    }

    private static String access(Access a) {
        return switch (a) {
            case PUBLIC -> "public";
            case AUTHENTICATED -> "authenticated";
            case DENY_ALL -> "deny";
        };
    }

    private static String mode(io.aegis.gateway.policy.Requirement.Mode m) {
        return m == io.aegis.gateway.policy.Requirement.Mode.ALL_OF ? "all-of" : "any-of";
    }

    /** Escapes a properties value: backslashes, line breaks, a leading space. */
    private static String escape(String v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case ' ' -> sb.append(i == 0 ? "\\ " : " ");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
