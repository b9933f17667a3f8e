package io.aegis.gateway.ratelimit;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.AttributeKey;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.ResponseHeaders;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.spi.BackendUnavailableException;
import io.aegis.gateway.ratelimit.spi.RateLimiterBackend;
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
 * <p>In {@link EmergencyMode emergency mode} every limit is scaled by the emergency factor. With
 * {@link BurstCredits burst credit} on, a client whose limit is exhausted may spend earned credit
 * to pass (marked by {@code RateLimit-Burst-Credit: used}). When a store-backed backend fails
 * closed, the answer is {@code 503 dependency-unavailable} with {@code Retry-After}.
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
    private final EmergencyMode emergency;
    private final BurstCredits credits;
    private final ConcurrentHashMap<PolicyKey, String[]> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PolicyKey, String> policyHeaders = new ConcurrentHashMap<>();

    /**
     * @param settings the limits
     * @param backend where buckets live
     * @param namespace prefixed to every bucket key (service and environment), so services
     *     sharing a store never share buckets
     */
    public RateLimitPolicy(RateLimitSettings settings, RateLimiterBackend backend, String namespace) {
        this(settings, backend, namespace, null, null);
    }

    /**
     * @param settings the limits
     * @param backend where buckets live
     * @param namespace prefixed to every bucket key (service and environment)
     * @param emergency the emergency switch that scales limits, or {@code null}
     * @param credits burst credit accounts, or {@code null}
     */
    public RateLimitPolicy(RateLimitSettings settings, RateLimiterBackend backend, String namespace,
                           EmergencyMode emergency, BurstCredits credits) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.emergency = emergency;
        this.credits = credits;
    }

    /** The header marking a request admitted on burst credit. */
    public static final String BURST_CREDIT_HEADER = "RateLimit-Burst-Credit";

    private static final AttributeKey<String> CALLER = AttributeKey.of("ratelimit.caller", String.class);
    private static final AttributeKey<Boolean> ON_CREDIT = AttributeKey.of("ratelimit.on-credit", Boolean.class);

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
        if (emergency != null) {
            limits = emergency.apply(limits);
        }
        String group = rule.group() != null ? rule.group() : route.id();
        String caller = CallerKey.of(rule.key(), exchange, settings.apiKeyHeader());
        String key = namespace + '|' + group + '|' + caller;
        RateLimitResult r;
        try {
            r = backend.tryConsume(key, limits, rule.cost());
        } catch (BackendUnavailableException e) {
            long retry = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            return Decision.reject(Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                    .detail("Rate limits cannot be checked right now; retry in " + retry + " s.")
                    .header("Retry-After", Long.toString(retry))
                    .build());
        }

        PolicyKey pk = new PolicyKey(limits, tier);
        String[] itemNames = names.computeIfAbsent(pk, RateLimitPolicy::itemNames);
        ResponseHeaders h = exchange.responseHeaders();
        h.set(POLICY_HEADER, policyHeaders.computeIfAbsent(pk, k -> policyHeader(k, itemNames)));
        h.set(STATE_HEADER, stateHeader(r, itemNames));
        if (credits != null) {
            exchange.attribute(CALLER, caller);
        }
        if (r.allowed()) {
            return Decision.proceed();
        }
        if (credits != null && credits.trySpend(caller)) {
            h.set(BURST_CREDIT_HEADER, "used");
            exchange.attribute(ON_CREDIT, Boolean.TRUE);
            return Decision.proceed();
        }
        return Decision.reject(Problem.builder(ProblemType.RATE_LIMITED)
                .detail("The rate limit of the " + tier.id() + " tier is exhausted; retry in "
                        + r.retryAfterSeconds() + " s.")
                .with("retry_after", r.retryAfterSeconds())
                .header("Retry-After", Long.toString(r.retryAfterSeconds()))
                .build());
    }

    @Override
    public void onComplete(Exchange exchange, int status) {
        if (credits != null) {
            String caller = exchange.attribute(CALLER);
            // A request admitted on credit earns none back; its errors still count.
            if (caller != null && (status >= 400 || exchange.attribute(ON_CREDIT) == null)) {
                credits.record(caller, status);
            }
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
