package io.aegis.gateway.config;

import io.aegis.gateway.auth.jwt.JwtKeySource;
import io.aegis.gateway.auth.jwt.JwtSettings;
import io.aegis.gateway.network.TrustedProxies;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.ServicePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.LimitSet;
import io.aegis.gateway.ratelimit.RateLimitKey;
import io.aegis.gateway.ratelimit.RateLimitRule;
import io.aegis.gateway.ratelimit.RateLimitSettings;
import io.aegis.gateway.ratelimit.TierLimits;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@link ServicePolicy} from configuration: the configuration source of the one model.
 * Every key is listed with its default in {@code docs/configuration.md}; each also has a builder
 * method, and the two paths produce equal policies.
 */
public final class PolicyConfig {

    private static final System.Logger LOG = System.getLogger(PolicyConfig.class.getName());

    private PolicyConfig() {
    }

    /**
     * Reads the service policy.
     *
     * @throws ConfigException naming the first invalid key, its value and the rule
     */
    public static ServicePolicy read(AegisConfig c) {
        String name = c.stringOr("aegis.service.name", "aegis-service");
        ServicePolicy.Builder b;
        try {
            b = ServicePolicy.builder(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("aegis.service.name", name, e.getMessage());
        }
        String envKey = c.string("aegis.service.environment").isPresent() ? "aegis.service.environment" : "mp.config.profile";
        String env = c.stringOr("aegis.service.environment", c.profile() != null ? c.profile() : "dev");
        apply(envKey, env, () -> b.environment(env));
        b.jwt(jwt(c));
        b.rateLimits(rateLimits(c));
        b.traffic(TrafficConfig.traffic(c));
        b.trustedProxies(c.parse("aegis.network.trusted-proxies", TrustedProxies::parse).orElse(TrustedProxies.none()));
        b.threatDefense(ThreatConfig.read(c));
        b.masking(MaskingConfig.settings(c));
        Access fallback = c.choice("aegis.auth.default-access", DefaultAccess.class, DefaultAccess.AUTHENTICATED).access;
        b.fallbackRoute(RoutePolicy.fallback().toBuilder().access(fallback).build());
        for (String id : c.childNames("aegis.routes")) {
            b.route(route(c, id));
        }
        b.upstreams(UpstreamConfig.read(c));
        b.versioning(VersioningConfig.read(c));
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("aegis.routes", null, e.getMessage());
        }
    }

    /** The JWT settings, or {@code null} when no key source is configured. */
    public static JwtSettings jwt(AegisConfig c) {
        JwtKeySource source = keySource(c);
        if (source == null) {
            return null;
        }
        JwtSettings.Builder j = JwtSettings.builder(source);
        c.string("aegis.auth.jwt.issuer", "mp.jwt.verify.issuer").ifPresent(j::issuer);
        List<String> aud = c.list("aegis.auth.jwt.audiences", "mp.jwt.verify.audiences");
        j.audiences(new LinkedHashSet<>(aud));
        List<String> algs = c.list("aegis.auth.jwt.algorithms", "mp.jwt.verify.publickey.algorithm");
        if (!algs.isEmpty()) {
            apply(c.setKey("aegis.auth.jwt.algorithms", "mp.jwt.verify.publickey.algorithm"), String.join(",", algs),
                    () -> j.algorithms(new LinkedHashSet<>(algs)));
        }
        Optional<String> mpSkew = c.string("mp.jwt.verify.clock.skew");
        Duration skew = c.string("aegis.auth.jwt.clock-skew").isPresent() || mpSkew.isEmpty()
                ? c.duration("aegis.auth.jwt.clock-skew", Duration.ofSeconds(30))
                : c.parse("mp.jwt.verify.clock.skew", v -> Duration.ofSeconds(Long.parseLong(v))).orElseThrow();
        apply(c.setKey("aegis.auth.jwt.clock-skew", "mp.jwt.verify.clock.skew"),
                c.stringOr("aegis.auth.jwt.clock-skew", skew.toString(), "mp.jwt.verify.clock.skew"), () -> j.clockSkew(skew));
        j.maxTokenSize(c.integer("aegis.auth.jwt.max-token-size", 8192, 256, 1 << 20));
        c.string("aegis.auth.jwt.required-type").ifPresent(j::requiredType);
        j.requireExpiration(c.bool("aegis.auth.jwt.require-expiration", true));
        List<String> scopes = c.list("aegis.auth.jwt.scope-claims");
        if (!scopes.isEmpty()) {
            j.scopeClaims(scopes);
        }
        List<String> roles = c.list("aegis.auth.jwt.role-claims", "smallrye.jwt.path.groups");
        if (!roles.isEmpty()) {
            j.roleClaims(roles);
        }
        c.string("aegis.auth.jwt.tenant-claim").ifPresent(j::tenantClaim);
        c.string("aegis.auth.jwt.tier-claim").ifPresent(j::tierClaim);
        Duration refresh = c.duration("aegis.auth.jwt.jwks.refresh-interval", Duration.ofMinutes(5));
        apply("aegis.auth.jwt.jwks.refresh-interval", c.stringOr("aegis.auth.jwt.jwks.refresh-interval", refresh.toString()),
                () -> j.jwksRefreshInterval(refresh));
        Duration refetch = c.duration("aegis.auth.jwt.jwks.min-refetch-interval", Duration.ofSeconds(15));
        apply("aegis.auth.jwt.jwks.min-refetch-interval", c.stringOr("aegis.auth.jwt.jwks.min-refetch-interval",
                refetch.toString()), () -> j.jwksMinRefetchInterval(refetch));
        Duration timeout = c.duration("aegis.auth.jwt.jwks.timeout", Duration.ofSeconds(2));
        apply("aegis.auth.jwt.jwks.timeout", c.stringOr("aegis.auth.jwt.jwks.timeout", timeout.toString()),
                () -> j.jwksTimeout(timeout));
        j.cacheMaxEntries(c.integer("aegis.auth.jwt.cache.max-entries", 10_000, 0, 10_000_000));
        Duration ttl = c.duration("aegis.auth.jwt.cache.max-ttl", Duration.ofMinutes(10));
        apply("aegis.auth.jwt.cache.max-ttl", c.stringOr("aegis.auth.jwt.cache.max-ttl", ttl.toString()),
                () -> j.cacheMaxTtl(ttl));
        try {
            return j.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("aegis.auth.jwt", null, e.getMessage());
        }
    }

    private static JwtKeySource keySource(AegisConfig c) {
        List<String> set = new ArrayList<>();
        Optional<String> jwks = c.string("aegis.auth.jwt.jwks-uri");
        Optional<String> key = c.string("aegis.auth.jwt.public-key", "mp.jwt.verify.publickey");
        Optional<String> location = c.string("aegis.auth.jwt.public-key-location", "mp.jwt.verify.publickey.location");
        Optional<String> secret = c.string("aegis.auth.jwt.secret");
        Optional<String> secretFile = c.string("aegis.auth.jwt.secret-file");
        jwks.ifPresent(v -> set.add("aegis.auth.jwt.jwks-uri"));
        key.ifPresent(v -> set.add(c.setKey("aegis.auth.jwt.public-key", "mp.jwt.verify.publickey")));
        location.ifPresent(v -> set.add(c.setKey("aegis.auth.jwt.public-key-location", "mp.jwt.verify.publickey.location")));
        secret.ifPresent(v -> set.add("aegis.auth.jwt.secret"));
        secretFile.ifPresent(v -> set.add("aegis.auth.jwt.secret-file"));
        if (set.isEmpty()) {
            return null;
        }
        if (set.size() > 1) {
            throw new ConfigException(set.get(1), null, "expected: one verification key source, but "
                    + String.join(" and ", set) + " are all set");
        }
        if (jwks.isPresent()) {
            return c.parse("aegis.auth.jwt.jwks-uri", v -> JwtKeySource.jwksUri(URI.create(v))).orElseThrow();
        }
        if (key.isPresent()) {
            return text(key.get());
        }
        if (location.isPresent()) {
            String loc = location.get();
            String k = c.setKey("aegis.auth.jwt.public-key-location", "mp.jwt.verify.publickey.location");
            if (loc.startsWith("http://") || loc.startsWith("https://")) {
                return c.parse(k, v -> JwtKeySource.jwksUri(URI.create(v))).orElseThrow();
            }
            return text(read(k, loc));
        }
        if (secret.isPresent()) {
            return c.parse("aegis.auth.jwt.secret", v -> JwtKeySource.secret(secretBytes(v))).orElseThrow();
        }
        String path = secretFile.get();
        String content = read("aegis.auth.jwt.secret-file", path).strip();
        try {
            return JwtKeySource.secret(secretBytes(content));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("aegis.auth.jwt.secret-file", path, e.getMessage());
        }
    }

    private static byte[] secretBytes(String v) {
        if (v.startsWith("base64:")) {
            return Base64.getDecoder().decode(v.substring(7).trim());
        }
        return v.getBytes(StandardCharsets.UTF_8);
    }

    private static JwtKeySource text(String content) {
        String t = content.strip();
        return t.startsWith("{") ? JwtKeySource.jwksJson(t) : JwtKeySource.pem(t);
    }

    /** Reads a file path or {@code classpath:} resource. */
    static String read(String key, String location) {
        try {
            if (location.startsWith("classpath:")) {
                String res = location.substring("classpath:".length());
                res = res.startsWith("/") ? res.substring(1) : res;
                ClassLoader cl = Thread.currentThread().getContextClassLoader();
                try (InputStream in = (cl != null ? cl : PolicyConfig.class.getClassLoader()).getResourceAsStream(res)) {
                    if (in == null) {
                        throw new IOException("no such resource");
                    }
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            String p = location.startsWith("file:") ? URI.create(location).getPath() : location;
            return Files.readString(Path.of(p), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(key, location, "expected: a readable file or classpath: resource; "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
        }
    }

    /** The rate-limit settings. */
    public static RateLimitSettings rateLimits(AegisConfig c) {
        RateLimitSettings.Builder r = RateLimitSettings.builder();
        r.enabled(c.bool("aegis.ratelimit.enabled", true));
        r.backend(c.choice("aegis.ratelimit.backend", RateLimitSettings.Backend.class, RateLimitSettings.Backend.LOCAL));
        c.parse("aegis.ratelimit.api-key-header", r::apiKeyHeader);
        r.maxBuckets(c.integer("aegis.ratelimit.max-buckets", 100_000, 1, 100_000_000));
        TierLimits.Builder t = TierLimits.builder();
        for (Tier tier : Tier.values()) {
            String key = "aegis.ratelimit.tiers." + tier.id() + ".limits";
            c.parse(key, LimitSet::parse).ifPresent(ls -> t.tier(tier, ls));
        }
        r.tiers(t.build());
        DefaultKey key = c.choice("aegis.ratelimit.default.key", DefaultKey.class, DefaultKey.USER);
        if (key == DefaultKey.NONE) {
            r.defaultRule(null);
        } else {
            RateLimitRule.Builder rule = RateLimitRule.builder(key.key).group("default");
            c.parse("aegis.ratelimit.default.limits", LimitSet::parse).ifPresent(rule::limits);
            r.defaultRule(rule.build());
        }
        TrafficConfig.redisBackend(c, r);
        return r.build();
    }

    private static RoutePolicy route(AegisConfig c, String id) {
        String p = "aegis.routes." + id + ".";
        String path = c.string(p + "path").orElseThrow(() ->
                new ConfigException(p + "path", null, "expected: a path template for route " + id));
        String method = c.stringOr(p + "method", RoutePolicy.ANY_METHOD);
        RoutePolicy.Builder r = c.parse(p + "path", v -> RoutePolicy.builder(method, v)).orElseThrow();
        r.id(id);
        c.string(p + "version").ifPresent(r::version);
        r.versionFallback(c.bool(p + "version-fallback", false));
        r.access(c.choice(p + "access", DefaultAccess.class, DefaultAccess.AUTHENTICATED).access);
        Requirement.Mode scopeMode = c.choice(p + "scopes-mode", Requirement.Mode.class, Requirement.Mode.ALL_OF);
        c.parse(p + "scopes", v -> Requirement.of(scopeMode, c.list(p + "scopes"))).ifPresent(r::scopes);
        Requirement.Mode roleMode = c.choice(p + "roles-mode", Requirement.Mode.class, Requirement.Mode.ANY_OF);
        c.parse(p + "roles", v -> Requirement.of(roleMode, c.list(p + "roles"))).ifPresent(r::roles);
        List<String> schemes = c.list(p + "auth-schemes");
        if (!schemes.isEmpty()) {
            List<AuthScheme> list = new ArrayList<>();
            for (String s : schemes) {
                list.add(c.parse(p + "auth-schemes", v -> AuthScheme.valueOf(
                        s.trim().replace('-', '_').toUpperCase(Locale.ROOT))).orElseThrow());
            }
            r.authSchemes(list);
        }
        boolean limited = c.string(p + "rate-limit.key").isPresent() || c.string(p + "rate-limit.limits").isPresent()
                || c.string(p + "rate-limit.group").isPresent() || c.string(p + "rate-limit.cost").isPresent();
        if (limited) {
            DefaultKey k = c.choice(p + "rate-limit.key", DefaultKey.class, DefaultKey.USER);
            if (k != DefaultKey.NONE) {
                RateLimitRule.Builder rule = RateLimitRule.builder(k.key);
                c.string(p + "rate-limit.group").ifPresent(rule::group);
                c.parse(p + "rate-limit.limits", LimitSet::parse).ifPresent(rule::limits);
                rule.cost(c.integer(p + "rate-limit.cost", 1, 1, 1_000_000));
                r.rateLimit(rule.build());
            }
        }
        MaskingConfig.route(c, p).ifPresent(r::masking);
        return r.build();
    }

    /** Runs a builder call, turning its {@link IllegalArgumentException} into a {@link ConfigException} naming the key. */
    private static void apply(String key, String value, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage(), e);
        }
    }

    /** Warns about {@code aegis.*} keys that nothing reads: usually typos. */
    public static void warnUnknownKeys(AegisConfig c, Set<String> knownPrefixes) {
        for (String name : c.propertyNames()) {
            if (!name.startsWith("aegis.")) {
                continue;
            }
            if (knownPrefixes.stream().noneMatch(name::startsWith)) {
                LOG.log(System.Logger.Level.WARNING, "configuration key " + name
                        + " is not read by Aegis Gateway; is it misspelt? (see docs/configuration.md)");
            }
        }
    }

    private enum DefaultAccess {
        AUTHENTICATED(Access.AUTHENTICATED),
        PUBLIC(Access.PUBLIC),
        DENY(Access.DENY_ALL),
        DENY_ALL(Access.DENY_ALL);

        final Access access;

        DefaultAccess(Access access) {
            this.access = access;
        }
    }

    private enum DefaultKey {
        IP(RateLimitKey.IP),
        USER(RateLimitKey.USER),
        API_KEY(RateLimitKey.API_KEY),
        TENANT(RateLimitKey.TENANT),
        NONE(null);

        final RateLimitKey key;

        DefaultKey(RateLimitKey key) {
            this.key = key;
        }
    }
}
