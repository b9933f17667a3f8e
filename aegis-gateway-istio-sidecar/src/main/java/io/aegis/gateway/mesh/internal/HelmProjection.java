package io.aegis.gateway.mesh.internal;

import static io.aegis.gateway.mesh.internal.Docs.map;

import io.aegis.gateway.mesh.ExtAuthzSpec;
import io.aegis.gateway.mesh.KongSpec;
import io.aegis.gateway.mesh.MeshDescription;
import io.aegis.gateway.mesh.extauthz.internal.CheckHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Helm values: Kong on Kubernetes with PostgreSQL (chart {@code kong/kong}), and the istiod mesh
 * configuration that registers the ext_authz sidecar as an extension provider. Neither is a
 * Kubernetes resource, so the schema validator does not read them.
 */
public final class HelmProjection {

    /** Headers Envoy passes to the client when the sidecar denies. */
    public static final List<String> DENY_HEADERS = List.of("cache-control", "content-type", "link", "ratelimit",
            "ratelimit-policy", "retry-after", "sunset", "deprecation", "www-authenticate");
    /** Headers Envoy adds to the client's response when the sidecar allows. */
    public static final List<String> ALLOW_CLIENT_HEADERS = List.of("deprecation", "link", "ratelimit", "ratelimit-policy",
            "sunset");

    private HelmProjection() {
    }

    public static String kongValues(MeshDescription d) {
        KongSpec k = d.kong();
        Map<String, Object> values = map(
                "image", map("repository", "kong", "tag", "3.9"),
                "replicaCount", k.replicas(),
                "env", map("database", "postgres", "pg_host", k.postgresHost(), "pg_port", String.valueOf(k.postgresPort()),
                        "pg_user", k.postgresUser(), "pg_database", k.postgresDatabase(),
                        "pg_password", map("valueFrom", map("secretKeyRef", map("name", k.postgresSecret(), "key", "password"))),
                        "router_flavor", "traditional_compatible",
                        "log_level", d.logLevel().equals("warn") ? "warn" : d.logLevel().equals("trace") ? "debug" : d.logLevel(),
                        "proxy_access_log", "/dev/stdout", "proxy_error_log", "/dev/stderr",
                        "admin_access_log", "/dev/stdout", "admin_error_log", "/dev/stderr",
                        "tracing_instrumentations", k.otlpTracesEndpoint() == null ? null : "all",
                        "tracing_sampling_rate", k.otlpTracesEndpoint() == null ? null : "1.0"),
                "admin", map("enabled", true, "type", "ClusterIP", "http", map("enabled", true)),
                "manager", map("enabled", true, "type", "ClusterIP"),
                "proxy", map("enabled", true, "type", "LoadBalancer"),
                "ingressController", map("enabled", false),
                "postgresql", map("enabled", false),
                "migrations", map("preUpgrade", true, "postUpgrade", true),
                "podAnnotations", map("sidecar.istio.io/inject", "true",
                        "traffic.sidecar.istio.io/excludeInboundPorts", "8000,8443"),
                "resources", map("requests", map("cpu", "500m", "memory", "512Mi"), "limits", map("cpu", "2", "memory", "1Gi")),
                "serviceMonitor", map("enabled", false));
        return "# Helm values of Kong Gateway OSS 3.9 (chart kong/kong) with PostgreSQL, for " + d.environment() + ".\n"
                + "# Configuration comes from decK (kong/kong.yaml), not from the ingress controller.\n"
                + "# Kong Manager (manager.enabled) is the admin UI; Konga is unmaintained and not used.\n"
                + "# The PostgreSQL password is read from the secret " + k.postgresSecret() + " (key password).\n"
                + Yaml.write(values);
    }

    /** The istiod values snippet registering the pod-local ext_authz sidecar ({@code helm upgrade istiod -f}). */
    public static String istiodValues(MeshDescription d) {
        if (!d.extAuthz().enabled()) {
            return null;
        }
        ExtAuthzSpec e = d.extAuthz();
        List<String> include = new ArrayList<>(List.of("authorization", d.auth().apiKeyHeader().toLowerCase(Locale.ROOT),
                "accept", "api-version", "content-type", "forwarded", "user-agent", "x-envoy-external-address",
                "x-forwarded-for", "x-request-id", "traceparent"));
        Map<String, Object> provider = map("service", ExtAuthzSpec.HOST, "port", e.port(), "pathPrefix", e.pathPrefix(),
                "timeout", "1s", "failOpen", false, "statusOnError", "503",
                "includeRequestHeadersInCheck", Routing.distinct(include),
                "includeRequestBodyInCheck", e.maxRequestBytes() == 0 ? null
                        : map("maxRequestBytes", e.maxRequestBytes(), "allowPartialMessage", true),
                "headersToUpstreamOnAllow", CheckHandler.upstreamHeaders(),
                "headersToDownstreamOnAllow", ALLOW_CLIENT_HEADERS,
                "headersToDownstreamOnDeny", DENY_HEADERS);
        return "# istiod Helm values (merge into yours): the ext_authz sidecar of Aegis services as an extension\n"
                + "# provider, used by CUSTOM AuthorizationPolicies. helm upgrade istiod istio/istiod -n istio-system -f this-file\n"
                + Yaml.write(map("meshConfig", map("extensionProviders", List.of(map("name", ExtAuthzSpec.PROVIDER,
                "envoyExtAuthzHttp", provider)))));
    }
}
