package io.aegis.gateway.traffic;

import io.aegis.gateway.adaptive.AdaptiveSettings;
import io.aegis.gateway.quota.QuotaSettings;
import io.aegis.gateway.ratelimit.BurstCreditSettings;
import io.aegis.gateway.ratelimit.EmergencySettings;
import java.util.List;
import java.util.Objects;

/**
 * Traffic control of a service, part of its {@link io.aegis.gateway.policy.ServicePolicy}: quotas,
 * the adaptive concurrency limit, emergency mode, burst credit, and the paths none of them
 * touches ({@code aegis.ratelimit.exempt-paths}, default {@code /health}; a route with the property
 * {@value #EXEMPT_PROPERTY}{@code =true} is exempt too).
 *
 * <p>Defaults: everything off, {@code /health} exempt. Immutable and thread-safe.
 */
public final class TrafficSettings {

    /** The route property that exempts a route from shedding, quotas and emergency refusal. */
    public static final String EXEMPT_PROPERTY = "traffic.exempt";

    private static final TrafficSettings DEFAULTS = builder().build();

    private final QuotaSettings quotas;
    private final AdaptiveSettings adaptive;
    private final EmergencySettings emergency;
    private final BurstCreditSettings burstCredit;
    private final List<String> exemptPaths;

    private TrafficSettings(Builder b) {
        this.quotas = b.quotas;
        this.adaptive = b.adaptive;
        this.emergency = b.emergency;
        this.burstCredit = b.burstCredit;
        this.exemptPaths = List.copyOf(b.exemptPaths);
    }

    public static TrafficSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().quotas(quotas).adaptive(adaptive).emergency(emergency).burstCredit(burstCredit)
                .exemptPaths(exemptPaths);
    }

    public QuotaSettings quotas() {
        return quotas;
    }

    public AdaptiveSettings adaptive() {
        return adaptive;
    }

    public EmergencySettings emergency() {
        return emergency;
    }

    public BurstCreditSettings burstCredit() {
        return burstCredit;
    }

    /** Path prefixes never shed, counted against quotas or refused in emergency mode. */
    public List<String> exemptPaths() {
        return exemptPaths;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficSettings s && s.quotas.equals(quotas) && s.adaptive.equals(adaptive)
                && s.emergency.equals(emergency) && s.burstCredit.equals(burstCredit) && s.exemptPaths.equals(exemptPaths);
    }

    @Override
    public int hashCode() {
        return Objects.hash(quotas, adaptive, emergency, burstCredit, exemptPaths);
    }

    @Override
    public String toString() {
        return "TrafficSettings[" + quotas + ", " + adaptive + ", " + emergency + ", " + burstCredit
                + ", exempt " + exemptPaths + "]";
    }

    /** Builds {@link TrafficSettings}. Not thread-safe. */
    public static final class Builder {
        private QuotaSettings quotas = QuotaSettings.defaults();
        private AdaptiveSettings adaptive = AdaptiveSettings.defaults();
        private EmergencySettings emergency = EmergencySettings.defaults();
        private BurstCreditSettings burstCredit = BurstCreditSettings.defaults();
        private List<String> exemptPaths = List.of("/health");

        private Builder() {
        }

        public Builder quotas(QuotaSettings quotas) {
            this.quotas = Objects.requireNonNull(quotas, "quotas");
            return this;
        }

        public Builder adaptive(AdaptiveSettings adaptive) {
            this.adaptive = Objects.requireNonNull(adaptive, "adaptive");
            return this;
        }

        public Builder emergency(EmergencySettings emergency) {
            this.emergency = Objects.requireNonNull(emergency, "emergency");
            return this;
        }

        public Builder burstCredit(BurstCreditSettings burstCredit) {
            this.burstCredit = Objects.requireNonNull(burstCredit, "burstCredit");
            return this;
        }

        /** @throws IllegalArgumentException unless each starts with {@code /} */
        public Builder exemptPaths(List<String> prefixes) {
            for (String p : prefixes) {
                if (p == null || !p.startsWith("/")) {
                    throw new IllegalArgumentException("exempt-paths: " + prefixes + " (expected: path prefixes starting with '/')");
                }
            }
            this.exemptPaths = List.copyOf(prefixes);
            return this;
        }

        public TrafficSettings build() {
            return new TrafficSettings(this);
        }
    }
}
