package io.aegis.gateway.threat;

import io.aegis.gateway.waf.WafSettings;
import java.util.Objects;

/**
 * The threat-defense part of a service policy: the WAF, IP and geo rules, anomaly detection with
 * bans and threat-intelligence feeds, and the security audit log. Each part has its own settings
 * and defaults (see their javadoc); the whole is off unless configured, except the audit log.
 *
 * <p>Immutable and thread-safe.
 */
public final class ThreatSettings {

    private static final ThreatSettings DEFAULTS = builder().build();

    private final WafSettings waf;

    private ThreatSettings(Builder b) {
        this.waf = b.waf;
    }

    public static ThreatSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().waf(waf);
    }

    /** The WAF settings (default: off). */
    public WafSettings waf() {
        return waf;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreatSettings t && t.waf.equals(waf);
    }

    @Override
    public int hashCode() {
        return Objects.hash(waf);
    }

    @Override
    public String toString() {
        return "ThreatSettings[" + waf + "]";
    }

    /** Builds {@link ThreatSettings}. Not thread-safe. */
    public static final class Builder {
        private WafSettings waf = WafSettings.defaults();

        private Builder() {
        }

        public Builder waf(WafSettings waf) {
            this.waf = Objects.requireNonNull(waf, "waf");
            return this;
        }

        public ThreatSettings build() {
            return new ThreatSettings(this);
        }
    }
}
