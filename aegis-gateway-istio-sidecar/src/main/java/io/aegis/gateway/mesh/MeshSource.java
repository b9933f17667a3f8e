package io.aegis.gateway.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.config.PolicyConfig;
import io.aegis.gateway.jaxrs.JaxRsRoutes;
import io.aegis.gateway.mesh.internal.Fields;
import io.aegis.gateway.mesh.internal.Yaml;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * Reads a {@link MeshDescription} the way the {@code aegis-mesh} CLI does: a service's deployment
 * descriptor ({@code aegis-mesh.yaml}) with an environment overlay ({@code env/<env>.yaml} beside
 * it, laid over the descriptor: mappings merge, other values replace) and the service's policy from
 * the same sources the library reads — its MicroProfile Config properties ({@code policy.config},
 * {@code policy.properties}, with the environment as profile) and the JAX-RS annotations of its
 * compiled resource classes ({@code policy.classpath}, read by {@link JaxRsRoutes} like the runtime
 * does). The descriptor format is described in {@code docs/mesh.md}.
 *
 * <p>Relative paths in a descriptor are relative to the descriptor's directory. Not thread-safe.
 */
@UnstableApi
public final class MeshSource {

    private final Path descriptor;
    private String environment = "dev";
    private Path overlay;
    private final List<Path> classpath = new ArrayList<>();
    private Clock clock = Clock.systemUTC();

    private MeshSource(Path descriptor) {
        this.descriptor = Objects.requireNonNull(descriptor, "descriptor");
    }

    /** A source reading this descriptor file. */
    public static MeshSource of(Path descriptor) {
        return new MeshSource(descriptor);
    }

    /** The environment: selects {@code env/<environment>.yaml} and the configuration profile (default {@code dev}). */
    public MeshSource environment(String env) {
        this.environment = Objects.requireNonNull(env, "env");
        return this;
    }

    /** An overlay file instead of {@code env/<environment>.yaml}. */
    public MeshSource overlay(Path file) {
        this.overlay = file;
        return this;
    }

    /** Compiled classes to scan besides the descriptor's {@code policy.classpath}. */
    public MeshSource classpath(List<Path> entries) {
        this.classpath.addAll(entries);
        return this;
    }

    /** The clock deciding which versions are sunset (default: the UTC system clock). */
    public MeshSource clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** The overlay file this source reads: the one given, else {@code env/<environment>.yaml}. */
    public Path overlayFile() {
        return overlay != null ? overlay : base().resolve("env").resolve(environment + ".yaml");
    }

    private Path base() {
        Path parent = descriptor.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /**
     * Reads the descriptor, the overlay and the policy, and builds the description.
     *
     * @throws MeshConfigException naming the first invalid or inconsistent field
     * @throws UncheckedIOException when a file cannot be read
     */
    public MeshDescription load() {
        JsonNode tree = read(descriptor);
        Path over = overlayFile();
        if (!Files.exists(over)) {
            throw new MeshConfigException("env", "'" + environment + "': no overlay " + over
                    + " (expected: one overlay file per environment)");
        }
        tree = Yaml.merge(tree, read(over));
        Fields root = Fields.root(tree).only("service", "namespace", "service-account", "port", "log-level", "hosts",
                "labels", "policy", "limits", "versions", "rollout", "traffic", "upstreams", "callers", "cors",
                "ip-restriction", "max-body-size", "kubernetes", "regions", "mtls", "kong", "ext-authz", "telemetry",
                "egress-hosts");
        String service = root.string("service");
        MeshDescription.Builder b = MeshDescription.builder(service).clock(clock);
        b.policy(policy(root, service));
        b.configuration(configuration);
        b.environment(environment);
        b.namespace(root.string("namespace"));
        if (root.has("service-account")) {
            b.serviceAccount(root.string("service-account"));
        }
        b.port(root.integer("port", 8080, 1, 65535));
        b.logLevel(root.stringOr("log-level", "info"));
        b.hosts(root.strings("hosts"));
        b.labels(root.stringMap("labels"));
        b.versions(versions(root));
        b.rollout(rollout(root));
        b.traffic(TrafficReader.read(root.object("traffic")));
        b.upstreams(upstreams(root));
        b.callers(callers(root));
        b.cors(cors(root.object("cors")));
        Fields ip = root.object("ip-restriction").only("allow", "deny");
        b.ipRestriction(cidrs(ip, "allow"), cidrs(ip, "deny"));
        b.maxBodyBytes(root.parse("max-body-size", MeshSource::bytes, 0L, "a size such as 512KB or 1MB"));
        b.kubernetes(kubernetes(root.object("kubernetes"), service));
        Fields regions = root.object("regions").only("failover");
        b.failover(regions.objects("failover", "from").stream()
                .map(f -> f.only("from", "to").build(() -> new LocalityFailover(f.string("from"), f.string("to")))).toList());
        Fields mtls = root.object("mtls").only("scope");
        String scope = mtls.stringOr("scope", "workload");
        if (!scope.equals("workload") && !scope.equals("namespace")) {
            throw new MeshConfigException("mtls.scope", "'" + scope + "' (expected: workload or namespace)");
        }
        b.namespaceMtls(scope.equals("namespace"));
        b.kong(kong(root.object("kong")));
        b.extAuthz(extAuthz(root.object("ext-authz")));
        Fields telemetry = root.object("telemetry").only("otlp-endpoint");
        b.otlpEndpoint(telemetry.stringOr("otlp-endpoint", null));
        b.egressHosts(root.strings("egress-hosts"));
        return b.build();
    }

    private static JsonNode read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return Yaml.read(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new MeshConfigException(file.getFileName().toString(), "not valid YAML" + where + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""), e);
        }
    }

    /** The service's policy: its configuration (descriptor's view of it) and its annotated resources. */
    private Map<String, String> configuration = Map.of();

    private ServicePolicy policy(Fields root, String service) {
        Fields p = root.object("policy").only("config", "classpath", "packages", "exclude", "properties");
        Map<String, String> props = new LinkedHashMap<>();
        if (p.has("config")) {
            props.putAll(profiled(loadProperties(base().resolve(p.string("config"))), environment));
        }
        props.putAll(profiled(p.stringMap("properties"), environment));
        Fields limits = root.object("limits").only("free", "premium", "enterprise");
        for (String tier : List.of("free", "premium", "enterprise")) {
            if (limits.has(tier)) {
                props.put("aegis.ratelimit.tiers." + tier + ".limits", limits.string(tier));
            }
        }
        props.putIfAbsent("aegis.service.name", service);
        props.put("aegis.service.environment", environment);
        props.put("mp.config.profile", environment);
        this.configuration = props;
        ServicePolicy policy;
        try {
            policy = PolicyConfig.read(AegisConfig.ofMap(props));
        } catch (ConfigException e) {
            throw new MeshConfigException("policy.properties." + e.key(), e.getMessage(), e);
        }
        List<Path> entries = new ArrayList<>();
        for (String s : p.strings("classpath")) {
            entries.add(base().resolve(s).normalize());
        }
        entries.addAll(classpath);
        if (entries.isEmpty()) {
            return policy;
        }
        List<RoutePolicy> annotated;
        io.aegis.gateway.versioning.VersioningSettings codeVersions;
        try (ResourceScanner scanner = new ResourceScanner(entries, p.strings("packages"))) {
            List<String> excluded = p.strings("exclude");
            List<Class<?>> resources = scanner.resources().stream().filter(c -> !excluded.contains(c.getName())).toList();
            try {
                annotated = JaxRsRoutes.routes(policy.fallbackRoute().access(), resources.toArray(new Class<?>[0]));
                codeVersions = JaxRsRoutes.versions(resources.toArray(new Class<?>[0]));
            } catch (IllegalArgumentException e) {
                throw new MeshConfigException("policy.classpath", e.getMessage(), e);
            }
        }
        try {
            // As at run time: versions declared in code, configuration winning where both say something.
            return policy.toBuilder().routes(annotated).versioning(policy.versioning().overriding(codeVersions)).build();
        } catch (IllegalArgumentException e) {
            throw new MeshConfigException("routes", e.getMessage(), e);
        }
    }

    private static Map<String, String> loadProperties(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        p.stringPropertyNames().stream().sorted().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** Resolves MicroProfile profiles: {@code %env.key} wins over {@code key}; other profiles' keys drop out. */
    static Map<String, String> profiled(Map<String, String> props, String env) {
        Map<String, String> out = new LinkedHashMap<>();
        props.forEach((k, v) -> {
            if (!k.startsWith("%")) {
                out.putIfAbsent(k, v);
            }
        });
        String prefix = "%" + env + ".";
        props.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private List<MeshVersion> versions(Fields root) {
        List<MeshVersion> out = new ArrayList<>();
        for (Fields v : root.objects("versions", "id")) {
            v.only("id", "label", "prefix", "weight", "deprecation", "sunset", "successor", "migration-guide");
            out.add(v.build(() -> new MeshVersion(v.string("id"), v.stringOr("label", null), v.stringOr("prefix", null),
                    v.integer("weight", 0, 0, 100), v.parse("deprecation", MeshSource::instant, null, "a date such as 2027-01-31"),
                    v.parse("sunset", MeshSource::instant, null, "a date such as 2027-06-30"),
                    v.stringOr("successor", null), v.stringOr("migration-guide", null))));
        }
        return out;
    }

    /** A date (its start in UTC) or a date-time with offset. */
    static Instant instant(String text) {
        if (text.length() == 10) {
            return java.time.LocalDate.parse(text).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        }
        return java.time.OffsetDateTime.parse(text).toInstant();
    }

    private static Rollout rollout(Fields root) {
        if (!root.has("rollout")) {
            return null;
        }
        Fields r = root.object("rollout").only("stable", "canary", "stages");
        List<Integer> stages = new ArrayList<>();
        for (String s : r.strings("stages")) {
            try {
                stages.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new MeshConfigException("rollout.stages", "'" + s + "' (expected: whole percentages)", e);
            }
        }
        return r.build(() -> new Rollout(r.string("stable"), r.string("canary"), stages));
    }

    private static List<MeshUpstream> upstreams(Fields root) {
        List<MeshUpstream> out = new ArrayList<>();
        for (Fields u : root.objects("upstreams", "name")) {
            u.only("name", "host", "namespace");
            out.add(u.build(() -> new MeshUpstream(u.string("name"), u.string("host"), u.stringOr("namespace", null))));
        }
        return out;
    }

    private static List<MeshCaller> callers(Fields root) {
        List<MeshCaller> out = new ArrayList<>();
        for (Fields c : root.objects("callers", "name")) {
            c.only("name", "principal", "edge", "scopes");
            MeshCaller.EdgeCredential edge = c.parse("edge", s -> MeshCaller.EdgeCredential.valueOf(
                    s.replace('-', '_').toUpperCase(Locale.ROOT)), null, "jwt or api-key");
            out.add(c.build(() -> new MeshCaller(c.string("name"), c.stringOr("principal", null), edge,
                    new java.util.TreeSet<>(c.strings("scopes")))));
        }
        return out;
    }

    private static CorsSpec cors(Fields c) {
        c.only("origins", "credentials", "max-age");
        return c.build(() -> new CorsSpec(c.strings("origins"), c.bool("credentials", false),
                (int) c.duration("max-age", java.time.Duration.ofHours(1)).toSeconds()));
    }

    private static List<String> cidrs(Fields f, String key) {
        List<String> out = f.strings(key);
        for (String s : out) {
            try {
                io.aegis.gateway.network.Cidr.parse(s);
            } catch (IllegalArgumentException e) {
                throw new MeshConfigException(f.path() + "." + key, "'" + s + "' (expected: an IP address or CIDR)", e);
            }
        }
        return out;
    }

    /** {@code 512}, {@code 512KB}, {@code 1MB} (binary units). */
    static long bytes(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        for (String[] u : new String[][] {{"KB", "1024"}, {"MB", "1048576"}, {"B", "1"}}) {
            if (t.endsWith(u[0])) {
                unit = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length()).trim();
                break;
            }
        }
        long n = Long.parseLong(t);
        if (n < 0) {
            throw new IllegalArgumentException("negative");
        }
        return Math.multiplyExact(n, unit);
    }

    private static KubernetesSpec kubernetes(Fields k, String service) {
        k.only("image", "replicas", "max-replicas", "cpu-utilization", "requests-per-second", "resources", "min-available");
        KubernetesSpec d = KubernetesSpec.defaults(k.stringOr("image", "registry.aegis.example.com/aegis/" + service));
        Fields r = k.object("resources").only("cpu-request", "memory-request", "cpu-limit", "memory-limit");
        int replicas = k.integer("replicas", d.replicas(), 1, 1000);
        return k.build(() -> new KubernetesSpec(d.image(), replicas,
                k.integer("max-replicas", Math.max(d.maxReplicas(), replicas), 1, 1000),
                k.integer("cpu-utilization", d.cpuUtilization(), 1, 100),
                k.integer("requests-per-second", d.requestsPerSecond(), 0, 1_000_000),
                r.stringOr("cpu-request", d.cpuRequest()), r.stringOr("memory-request", d.memoryRequest()),
                r.stringOr("cpu-limit", d.cpuLimit()), r.stringOr("memory-limit", d.memoryLimit()),
                k.integer("min-available", Math.min(d.minAvailable(), replicas), 0, 1000)));
    }

    private static KongSpec kong(Fields k) {
        k.only("redis", "otlp-traces-endpoint", "jwt-key-claim", "replicas", "postgres", "principal");
        KongSpec d = KongSpec.defaults();
        Fields r = k.object("redis").only("host", "port", "database", "timeout", "ssl", "password-env");
        Fields pg = k.object("postgres").only("host", "port", "database", "user", "secret");
        return k.build(() -> new KongSpec(r.stringOr("host", d.redisHost()), r.integer("port", d.redisPort(), 1, 65535),
                r.integer("database", d.redisDatabase(), 0, 15),
                (int) r.duration("timeout", java.time.Duration.ofMillis(d.redisTimeoutMs())).toMillis(),
                r.bool("ssl", d.redisSsl()), r.stringOr("password-env", d.redisPasswordEnv()),
                k.stringOr("otlp-traces-endpoint", d.otlpTracesEndpoint()), k.stringOr("jwt-key-claim", d.jwtKeyClaim()),
                k.integer("replicas", d.replicas(), 1, 100), pg.stringOr("host", d.postgresHost()),
                pg.integer("port", d.postgresPort(), 1, 65535), pg.stringOr("database", d.postgresDatabase()),
                pg.stringOr("user", d.postgresUser()), pg.stringOr("secret", d.postgresSecret()),
                k.stringOr("principal", d.principal())));
    }

    private static ExtAuthzSpec extAuthz(Fields e) {
        e.only("enabled", "port", "path-prefix", "image", "max-request-bytes");
        ExtAuthzSpec d = ExtAuthzSpec.disabled();
        return e.build(() -> new ExtAuthzSpec(e.bool("enabled", d.enabled()), e.integer("port", d.port(), 1, 65535),
                e.stringOr("path-prefix", d.pathPrefix()), e.stringOr("image", d.image()),
                e.integer("max-request-bytes", d.maxRequestBytes(), 0, 64 * 1024 * 1024)));
    }
}
