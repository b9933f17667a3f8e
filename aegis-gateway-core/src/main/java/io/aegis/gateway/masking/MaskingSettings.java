package io.aegis.gateway.masking;

import io.aegis.gateway.auth.Principal;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RoutePolicy;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The masking settings of a service: whether responses are masked at all, the scope that exempts
 * a caller ({@code pii:read}), the rules applied to every route, and the largest body that may be
 * buffered to be masked. Each route's own {@link MaskingPolicy} adds to the service rules.
 *
 * <p>Defaults: enabled, exempt scope {@value #DEFAULT_EXEMPT_SCOPE}, no service-wide rules,
 * 1 MiB buffer. Configuration keys {@code aegis.masking.*} ({@code docs/configuration.md}).
 *
 * <p>Immutable and thread-safe (compiled maskers are memoised per route rule set).
 */
public final class MaskingSettings {

    /** The scope that lets a caller see personal data in clear, unless configured otherwise. */
    public static final String DEFAULT_EXEMPT_SCOPE = "pii:read";
    /** The default largest body buffered for masking (text, gzip, JSON in another charset). */
    public static final int DEFAULT_MAX_BUFFER_BYTES = 1 << 20;

    private static final MaskingSettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final String exemptScope;
    private final MaskingPolicy defaults;
    private final int maxBufferBytes;
    private final ConcurrentMap<MaskingPolicy, ResponseMasker> maskers = new ConcurrentHashMap<>();
    private final ResponseMasker serviceMasker;

    private MaskingSettings(Builder b) {
        this.enabled = b.enabled;
        this.exemptScope = b.exemptScope;
        this.defaults = b.defaults;
        this.maxBufferBytes = b.maxBufferBytes;
        this.serviceMasker = defaults.isEmpty() ? null : new ResponseMasker(defaults, maxBufferBytes);
    }

    /** Enabled, {@code pii:read} exempts, no service-wide rules. */
    public static MaskingSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().enabled(enabled).exemptScope(exemptScope).serviceRules(defaults).maxBufferBytes(maxBufferBytes);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The scope that exempts a caller, or {@code null} when nobody is exempt. */
    public String exemptScope() {
        return exemptScope;
    }

    /** The rules applied to every route's responses. */
    public MaskingPolicy serviceRules() {
        return defaults;
    }

    public int maxBufferBytes() {
        return maxBufferBytes;
    }

    /**
     * The masker for the response of this exchange, or {@code null} when nothing is to be masked:
     * masking disabled, no rules for the route (service rules plus the route's own), or a caller
     * who holds the exempt scope. Adapters call it once the routed stages have run.
     */
    public ResponseMasker maskerFor(Exchange exchange) {
        if (!enabled) {
            return null;
        }
        RoutePolicy route = exchange.route();
        MaskingPolicy own = route == null ? null : route.masking();
        ResponseMasker masker = own == null || own.isEmpty() && own.exemptScope() == null ? serviceMasker
                : maskers.computeIfAbsent(own, o -> {
                    MaskingPolicy eff = defaults.with(o);
                    return eff.isEmpty() ? null : new ResponseMasker(eff, maxBufferBytes);
                });
        if (masker == null) {
            return null;
        }
        String scope = masker.policy().exemptScope() != null ? masker.policy().exemptScope() : exemptScope;
        Principal p = exchange.principal();
        if (scope != null && p != null && p.scopes().contains(scope)) {
            return null;
        }
        return masker;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MaskingSettings m && m.enabled == enabled && Objects.equals(m.exemptScope, exemptScope)
                && m.defaults.equals(defaults) && m.maxBufferBytes == maxBufferBytes;
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, exemptScope, defaults, maxBufferBytes);
    }

    @Override
    public String toString() {
        return "MaskingSettings[" + (enabled ? "on" : "off") + ", exempt " + exemptScope + ", " + defaults + "]";
    }

    /** Builds {@link MaskingSettings}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled = true;
        private String exemptScope = DEFAULT_EXEMPT_SCOPE;
        private MaskingPolicy defaults = MaskingPolicy.none();
        private int maxBufferBytes = DEFAULT_MAX_BUFFER_BYTES;

        private Builder() {
        }

        /** Whether responses are masked at all (default {@code true}). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /**
         * The scope that exempts a caller (default {@value #DEFAULT_EXEMPT_SCOPE}); {@code null}
         * exempts nobody.
         *
         * @throws IllegalArgumentException for a blank scope
         */
        public Builder exemptScope(String scope) {
            if (scope != null && scope.isBlank()) {
                throw new IllegalArgumentException("exemptScope: '' (expected: a scope, or null for nobody)");
            }
            this.exemptScope = scope == null ? null : scope.trim();
            return this;
        }

        /** The rules applied to every route (default: none). */
        public Builder serviceRules(MaskingPolicy defaults) {
            this.defaults = Objects.requireNonNull(defaults, "defaults");
            return this;
        }

        /**
         * The largest body buffered to be masked (default 1 MiB); a larger one fails the response.
         *
         * @throws IllegalArgumentException unless 1 KiB to 256 MiB
         */
        public Builder maxBufferBytes(int bytes) {
            if (bytes < 1024 || bytes > 256 << 20) {
                throw new IllegalArgumentException("maxBufferBytes: " + bytes + " (expected: 1024..268435456)");
            }
            this.maxBufferBytes = bytes;
            return this;
        }

        public MaskingSettings build() {
            return new MaskingSettings(this);
        }
    }
}
