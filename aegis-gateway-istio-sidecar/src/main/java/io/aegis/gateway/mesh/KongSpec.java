package io.aegis.gateway.mesh;

import java.util.Objects;

/**
 * The edge: Kong's shared rate-limit store, tracing endpoint, JWT lookup claim and its own
 * deployment (Helm values with PostgreSQL).
 *
 * <p>Immutable and thread-safe. Defaults: Redis {@code redis.aegis.svc.cluster.local:6379}
 * database 0, 2000 ms timeout, no TLS, password from the environment variable
 * {@code DECK_REDIS_PASSWORD} when {@code redisPasswordEnv} is set; no tracing; JWT consumers found
 * by {@code iss}; 2 Kong replicas; PostgreSQL {@code kong-postgresql.kong.svc.cluster.local:5432}
 * database and user {@code kong}, password in the secret {@code kong-postgresql}; Kong's mesh
 * principal {@code cluster.local/ns/kong/sa/kong-kong} (the Helm release {@code kong}).
 *
 * @param redisHost Redis host of the {@code rate-limiting} plugin
 * @param redisPort its port
 * @param redisDatabase its database number
 * @param redisTimeoutMs its timeout in milliseconds
 * @param redisSsl whether to connect with TLS
 * @param redisPasswordEnv the decK environment variable holding the password, or {@code null}
 * @param otlpTracesEndpoint the OTLP/HTTP traces endpoint of the {@code opentelemetry} plugin, or {@code null}
 * @param jwtKeyClaim the claim the {@code jwt} plugin finds the consumer by
 * @param replicas Kong's replicas
 * @param postgresHost Kong's PostgreSQL host
 * @param postgresPort its port
 * @param postgresDatabase its database
 * @param postgresUser its user
 * @param postgresSecret the Kubernetes secret holding the password (key {@code password})
 * @param principal Kong's mesh principal, allowed to call routes on behalf of edge callers
 */
@UnstableApi
public record KongSpec(String redisHost, int redisPort, int redisDatabase, int redisTimeoutMs, boolean redisSsl,
                       String redisPasswordEnv, String otlpTracesEndpoint, String jwtKeyClaim, int replicas,
                       String postgresHost, int postgresPort, String postgresDatabase, String postgresUser,
                       String postgresSecret, String principal) {

    /**
     * @throws MeshConfigException when a value is out of range
     */
    public KongSpec {
        Objects.requireNonNull(redisHost, "redisHost");
        Objects.requireNonNull(jwtKeyClaim, "jwtKeyClaim");
        if (redisPort < 1 || redisPort > 65535 || postgresPort < 1 || postgresPort > 65535) {
            throw new MeshConfigException("kong", "redis port " + redisPort + ", postgres port " + postgresPort + " (expected: 1 to 65535)");
        }
        if (redisDatabase < 0 || redisDatabase > 15) {
            throw new MeshConfigException("kong.redis.database", redisDatabase + " (expected: 0 to 15)");
        }
        if (redisTimeoutMs < 1) {
            throw new MeshConfigException("kong.redis.timeout", redisTimeoutMs + "ms (expected: > 0)");
        }
        if (redisPasswordEnv != null && !redisPasswordEnv.matches("DECK_[A-Z0-9_]+")) {
            throw new MeshConfigException("kong.redis.password-env", "'" + redisPasswordEnv
                    + "' (expected: a decK environment variable, DECK_ and upper-case letters, digits, '_')");
        }
        if (otlpTracesEndpoint != null && !otlpTracesEndpoint.matches("https?://\\S+")) {
            throw new MeshConfigException("kong.otlp-traces-endpoint", "'" + otlpTracesEndpoint + "' (expected: an http(s) URL)");
        }
        if (principal == null || !principal.matches("[a-z0-9.-]+/ns/[a-z0-9-]+/sa/[a-z0-9.-]+")) {
            throw new MeshConfigException("kong.principal", "'" + principal
                    + "' (expected: <trust-domain>/ns/<namespace>/sa/<service-account>)");
        }
        if (replicas < 1) {
            throw new MeshConfigException("kong.replicas", replicas + " (expected: >= 1)");
        }
    }

    public static KongSpec defaults() {
        return new KongSpec("redis.aegis.svc.cluster.local", 6379, 0, 2000, false, null, null, "iss", 2,
                "kong-postgresql.kong.svc.cluster.local", 5432, "kong", "kong", "kong-postgresql",
                "cluster.local/ns/kong/sa/kong-kong");
    }
}
