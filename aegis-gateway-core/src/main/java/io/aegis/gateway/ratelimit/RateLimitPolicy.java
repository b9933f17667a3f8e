package io.aegis.gateway.ratelimit;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.ResponseHeaders;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the route's rate-limit rule (or the service default) to the caller, by tier.
 *
 * <p>Every limited response, admitted or not, carries {@code RateLimit-Policy} and
 * {@code RateLimit} in the syntax of the IETF httpapi draft (structured-field lists of
 * {@code "name";q=…;w=…} and {@code "name";r=…;t=…}); a refusal is 429 with {@code Retry-After}
 * (seconds) and a {@code rate-limited} problem. Callers are counted by the rule's key: client
 * address, subject, API key or tenant, each falling back to the broader one when missing.
 * Anonymous callers have the free tier.
 *
 * <p>Immutable and thread-safe; the buckets live in the {@link RateLimiterBackend}.
 */
public final class RateLimitPolicy implements GatewayPolicy {

    /** The header advertising the limits. */
    public static final String POLICY_HEADER = "RateLimit-Policy";
    /** The header carrying the current state. */
    public static final String STATE_HEADER = "RateLimit";

    private final RateLimitSettings settings;
    private final RateLimiterBackend backend;
    private final String namespace;
    private final ConcurrentHashMap<PolicyKey, String[]> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PolicyKey, String> policyHeaders = new ConcurrentHashMap<>();

    /**
     * @param settings the limits
     * @param backend where buckets live
     * @param namespace prefixed to every bucket key (service and environment), so services
     *     sharing a store never share buckets
     */
    public RateLimitPolicy(RateLimitSettings settings, RateLimiterBackend backend, String namespace) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
    }

    @Override
    public Stage stage() {
        return Stage.RATE_LIMIT;
    }

    public RateLimitSettings settings() {
        return settings;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        if (!settings.enabled()) {
            return Decision.proceed();
        }
        RoutePolicy route = exchange.route();
        RateLimitRule rule = route.rateLimit() != null ? route.rateLimit() : settings.defaultRule();
        if (rule == null) {
            return Decision.proceed();
        }
        Principal p = exchange.principal();
        Tier tier = p == null ? Tier.FREE : p.tier();
        LimitSet limits = rule.limitsFor(tier, settings.tiers());
        String group = rule.group() != null ? rule.group() : route.id();
        String key = namespace + '|' + group + '|' + callerKey(rule.key(), exchange, p);
        RateLimitResult r = backend.tryConsume(key, limits, rule.cost());

        PolicyKey pk = new PolicyKey(limits, tier);
        String[] itemNames = names.computeIfAbsent(pk, RateLimitPolicy::itemNames);
        ResponseHeaders h = exchange.responseHeaders();
        h.set(POLICY_HEADER, policyHeaders.computeIfAbsent(pk, k -> policyHeader(k, itemNames)));
        h.set(STATE_HEADER, stateHeader(r, itemNames));
        if (r.allowed()) {
            return Decision.proceed();
        }
        return Decision.reject(Problem.builder(ProblemType.RATE_LIMITED)
                .detail("The rate limit of the " + tier.id() + " tier is exhausted; retry in "
                        + r.retryAfterSeconds() + " s.")
                .with("retry_after", r.retryAfterSeconds())
                .header("Retry-After", Long.toString(r.retryAfterSeconds()))
                .build());
    }

    private String callerKey(RateLimitKey kind, Exchange ex, Principal p) {
        if (kind == RateLimitKey.TENANT && p != null && p.tenant() != null) {
            return "t:" + p.tenant();
        }
        if ((kind == RateLimitKey.TENANT || kind == RateLimitKey.USER) && p != null) {
            return "u:" + p.subject();
        }
        if (kind == RateLimitKey.API_KEY) {
            if (p != null && p.scheme() == AuthScheme.API_KEY && p.credentialId() != null) {
                return "k:" + p.credentialId();
            }
            String apiKey = ex.request().header(settings.apiKeyHeader());
            if (apiKey != null && !apiKey.isEmpty()) {
                return "k:" + digest(apiKey); // never keep raw keys in memory
            }
        }
        return "ip:" + ex.clientAddress();
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String[] itemNames(PolicyKey k) {
        List<Limit> ls = k.limits.limits();
        String[] out = new String[ls.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = k.tier.id() + "-" + Limit.formatDuration(ls.get(i).window());
        }
        return out;
    }

    private static String policyHeader(PolicyKey k, String[] itemNames) {
        StringBuilder sb = new StringBuilder();
        List<Limit> ls = k.limits.limits();
        for (int i = 0; i < ls.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(itemNames[i]).append("\";q=").append(ls.get(i).count())
                    .append(";w=").append(ls.get(i).windowSeconds());
        }
        return sb.toString();
    }

    private static String stateHeader(RateLimitResult r, String[] itemNames) {
        StringBuilder sb = new StringBuilder(32 * itemNames.length);
        for (int i = 0; i < itemNames.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(itemNames[i]).append("\";r=").append(r.remaining(i))
                    .append(";t=").append(r.resetSeconds(i));
        }
        return sb.toString();
    }

    private record PolicyKey(LimitSet limits, Tier tier) {
    }
}
