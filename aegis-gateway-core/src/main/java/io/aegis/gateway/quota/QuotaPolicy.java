package io.aegis.gateway.quota;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.ResponseHeaders;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.CallerKey;
import io.aegis.gateway.ratelimit.spi.BackendUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Enforces daily and monthly quotas (stage {@link Stage#RATE_LIMIT}, after the rate limits, so a
 * request refused by a rate limit is not counted). Responses of callers with a budget carry
 * {@code Quota-Limit}, {@code Quota-Remaining} and {@code Quota-Reset} (structured-field
 * dictionaries with {@code day} and {@code month} members; reset in seconds); a caller over
 * budget gets {@code 429 quota-exceeded} with {@code Retry-After} until the period resets.
 *
 * <p>Immutable and thread-safe; counts live in the {@link QuotaService}'s store.
 */
public final class QuotaPolicy implements GatewayPolicy {

    public static final String LIMIT_HEADER = "Quota-Limit";
    public static final String REMAINING_HEADER = "Quota-Remaining";
    public static final String RESET_HEADER = "Quota-Reset";

    private final QuotaService service;
    private final QuotaSettings settings;
    private final String apiKeyHeader;
    private final Predicate<Exchange> exempt;

    /**
     * @param service where counts are kept
     * @param settings the settings in force
     * @param apiKeyHeader the header API keys are read from (when counting by API key)
     * @param exempt requests never counted (health endpoints)
     */
    public QuotaPolicy(QuotaService service, QuotaSettings settings, String apiKeyHeader, Predicate<Exchange> exempt) {
        this.service = Objects.requireNonNull(service, "service");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.apiKeyHeader = Objects.requireNonNull(apiKeyHeader, "apiKeyHeader");
        this.exempt = Objects.requireNonNull(exempt, "exempt");
    }

    @Override
    public Stage stage() {
        return Stage.RATE_LIMIT;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        if (!settings.enabled() || exempt.test(exchange)) {
            return Decision.proceed();
        }
        Principal p = exchange.principal();
        Tier tier = p == null ? Tier.FREE : p.tier();
        String caller = CallerKey.of(settings.key(), exchange, apiKeyHeader);
        Instant now = service.clock().instant();
        QuotaCalendar.Periods periods = service.calendar().at(now);
        QuotaCounts c;
        try {
            c = service.consume(caller, tier, 1, periods);
        } catch (BackendUnavailableException e) {
            long retry = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
            return Decision.reject(Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                    .detail("Quotas cannot be checked right now; retry in " + retry + " s.")
                    .header("Retry-After", Long.toString(retry))
                    .build());
        }
        QuotaLimits l = c.limits();
        if (l.isNone()) {
            return Decision.proceed();
        }
        long dayReset = seconds(now, periods.dayEnd());
        long monthReset = seconds(now, periods.monthEnd());
        ResponseHeaders h = exchange.responseHeaders();
        h.set(LIMIT_HEADER, dict(l.daily(), l.monthly(), l));
        h.set(REMAINING_HEADER, dict(l.daily() == 0 ? 0 : Math.max(0, l.daily() - c.dayUsed()),
                l.monthly() == 0 ? 0 : Math.max(0, l.monthly() - c.monthUsed()), l));
        h.set(RESET_HEADER, dict(l.daily() == 0 ? 0 : dayReset, l.monthly() == 0 ? 0 : monthReset, l));
        if (c.allowed()) {
            return Decision.proceed();
        }
        boolean dayOut = l.daily() > 0 && c.dayUsed() + 1 > l.daily();
        boolean monthOut = l.monthly() > 0 && c.monthUsed() + 1 > l.monthly();
        long retry = Math.max(1, Math.max(dayOut ? dayReset : 0, monthOut ? monthReset : 0));
        QuotaPeriod period = monthOut ? QuotaPeriod.MONTH : QuotaPeriod.DAY;
        return Decision.reject(Problem.builder(ProblemType.QUOTA_EXCEEDED)
                .detail("The " + (period == QuotaPeriod.DAY ? "daily" : "monthly") + " quota of "
                        + l.of(period) + " requests is used up; it resets in " + retry + " s.")
                .with("period", period.id())
                .with("limit", l.of(period))
                .with("resets_at", periods.end(period).toString())
                .with("retry_after", retry)
                .header("Retry-After", Long.toString(retry))
                .build());
    }

    private static long seconds(Instant now, Instant end) {
        return Math.max(0, (Duration.between(now, end).toMillis() + 999) / 1000);
    }

    private static String dict(long day, long month, QuotaLimits l) {
        StringBuilder sb = new StringBuilder();
        if (l.daily() > 0) {
            sb.append("day=").append(day);
        }
        if (l.monthly() > 0) {
            sb.append(sb.length() > 0 ? ", " : "").append("month=").append(month);
        }
        return sb.toString();
    }
}
