package io.aegis.gateway.threat;

import io.aegis.gateway.access.AccessSettings;
import io.aegis.gateway.audit.AuditSettings;
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
    private final AccessSettings access;
    private final AnomalySettings anomaly;
    private final AuditSettings audit;

    private ThreatSettings(Builder b) {
        this.waf = b.waf;
        this.access = b.access;
        this.anomaly = b.anomaly;
        this.audit = b.audit;
    }

    public static ThreatSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().waf(waf).access(access).anomaly(anomaly).audit(audit);
    }

    /** The WAF settings (default: off). */
    public WafSettings waf() {
        return waf;
    }

    /** IP, feed and geo rules (default: none). */
    public AccessSettings access() {
        return access;
    }

    /** Anomaly detection and bans (default: off). */
    public AnomalySettings anomaly() {
        return anomaly;
    }

    /** The security audit log (default: on, logger {@code aegis.audit}). */
    public AuditSettings audit() {
        return audit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ThreatSettings t && t.waf.equals(waf) && t.access.equals(access) && t.anomaly.equals(anomaly)
                && t.audit.equals(audit);
    }

    @Override
    public int hashCode() {
        return Objects.hash(waf, access, anomaly, audit);
    }

    @Override
    public String toString() {
        return "ThreatSettings[" + waf + ", " + access + ", " + anomaly + ", " + audit + "]";
    }

    /** Builds {@link ThreatSettings}. Not thread-safe. */
    public static final class Builder {
        private WafSettings waf = WafSettings.defaults();
        private AccessSettings access = AccessSettings.defaults();
        private AnomalySettings anomaly = AnomalySettings.defaults();
        private AuditSettings audit = AuditSettings.defaults();

        private Builder() {
        }

        public Builder audit(AuditSettings audit) {
            this.audit = Objects.requireNonNull(audit, "audit");
            return this;
        }

        public Builder access(AccessSettings access) {
            this.access = Objects.requireNonNull(access, "access");
            return this;
        }

        public Builder anomaly(AnomalySettings anomaly) {
            this.anomaly = Objects.requireNonNull(anomaly, "anomaly");
            return this;
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
