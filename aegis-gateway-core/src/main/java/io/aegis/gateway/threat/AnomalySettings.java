package io.aegis.gateway.threat;

import java.time.Duration;
import java.util.Objects;

/**
 * Anomaly detection and automatic bans. Each client (address) has statistics per window (default
 * 10s): requests, 401/403 and 404 answers, distinct paths, WAF detections. At the end of a window
 * they become points: a high share of authentication failures, of 404s (probing), many distinct
 * paths (scanning), a request rate far above the baselines (exponentially weighted moving
 * averages of the client's own rate and of all clients' rates); each WAF detection counts at once.
 * The score decays from window to window ({@code score = score * (1 - alpha) + points}); at the
 * threshold the client is banned (403 {@code client-banned} with {@code Retry-After}) for
 * {@link #banTtl()}, multiplied by {@link #escalation()} for each earlier ban within
 * {@link #offenseMemory()}, at most {@link #maxBanTtl()}.
 *
 * <p>Defaults: off; window 10s, alpha 0.3, threshold 10; points: WAF detection 4, authentication
 * failures 6, not-found probing 5, scanning 6, rate 8; judged from 20 requests a window; scanning
 * from 40 distinct paths; rate above 10 times the baseline and at least 300 requests a window; ban
 * 5m, escalation 4, at most 24h, offenses remembered 24h; bans in memory; an attack is declared at
 * 5 bans or 100 WAF detections a minute.
 *
 * <p>Immutable and thread-safe.
 */
public final class AnomalySettings {

    /** Where bans are kept. */
    public enum Store {
        /** In this replica's memory. */
        MEMORY,
        /** In Redis, shared by every replica ({@link #redisUri()}). */
        REDIS
    }

    private static final AnomalySettings DEFAULTS = builder().build();

    private final boolean enabled;
    private final Duration window;
    private final double alpha;
    private final double threshold;
    private final double wafPoints;
    private final double authFailurePoints;
    private final double notFoundPoints;
    private final double scanPoints;
    private final double ratePoints;
    private final int minRequests;
    private final int scanPaths;
    private final double rateMultiplier;
    private final int rateFloor;
    private final Duration banTtl;
    private final double escalation;
    private final Duration maxBanTtl;
    private final Duration offenseMemory;
    private final Store store;
    private final String redisUri;
    private final Duration redisTimeout;
    private final int attackBans;
    private final int attackDetections;
    private final int maxClients;

    private AnomalySettings(Builder b) {
        this.enabled = b.enabled;
        this.window = b.window;
        this.alpha = b.alpha;
        this.threshold = b.threshold;
        this.wafPoints = b.wafPoints;
        this.authFailurePoints = b.authFailurePoints;
        this.notFoundPoints = b.notFoundPoints;
        this.scanPoints = b.scanPoints;
        this.ratePoints = b.ratePoints;
        this.minRequests = b.minRequests;
        this.scanPaths = b.scanPaths;
        this.rateMultiplier = b.rateMultiplier;
        this.rateFloor = b.rateFloor;
        this.banTtl = b.banTtl;
        this.escalation = b.escalation;
        this.maxBanTtl = b.maxBanTtl;
        this.offenseMemory = b.offenseMemory;
        this.store = b.store;
        this.redisUri = b.redisUri;
        this.redisTimeout = b.redisTimeout;
        this.attackBans = b.attackBans;
        this.attackDetections = b.attackDetections;
        this.maxClients = b.maxClients;
    }

    public static AnomalySettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean enabled() {
        return enabled;
    }

    public Duration window() {
        return window;
    }

    public double alpha() {
        return alpha;
    }

    public double threshold() {
        return threshold;
    }

    public double wafPoints() {
        return wafPoints;
    }

    public double authFailurePoints() {
        return authFailurePoints;
    }

    public double notFoundPoints() {
        return notFoundPoints;
    }

    public double scanPoints() {
        return scanPoints;
    }

    public double ratePoints() {
        return ratePoints;
    }

    public int minRequests() {
        return minRequests;
    }

    public int scanPaths() {
        return scanPaths;
    }

    public double rateMultiplier() {
        return rateMultiplier;
    }

    public int rateFloor() {
        return rateFloor;
    }

    public Duration banTtl() {
        return banTtl;
    }

    public double escalation() {
        return escalation;
    }

    public Duration maxBanTtl() {
        return maxBanTtl;
    }

    public Duration offenseMemory() {
        return offenseMemory;
    }

    public Store store() {
        return store;
    }

    /** The Redis URI of {@link Store#REDIS}, e.g. {@code redis://127.0.0.1:6379}. */
    public String redisUri() {
        return redisUri;
    }

    public Duration redisTimeout() {
        return redisTimeout;
    }

    public int attackBans() {
        return attackBans;
    }

    public int attackDetections() {
        return attackDetections;
    }

    public int maxClients() {
        return maxClients;
    }

    private Object[] fields() {
        return new Object[] {enabled, window, alpha, threshold, wafPoints, authFailurePoints, notFoundPoints, scanPoints,
                ratePoints, minRequests, scanPaths, rateMultiplier, rateFloor, banTtl, escalation, maxBanTtl, offenseMemory,
                store, redisUri, redisTimeout, attackBans, attackDetections, maxClients};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnomalySettings a && java.util.Arrays.equals(a.fields(), fields());
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(fields());
    }

    @Override
    public String toString() {
        return enabled ? "AnomalySettings[window " + window + ", threshold " + threshold + ", ban " + banTtl + " x"
                + escalation + " <= " + maxBanTtl + ", " + store + "]" : "AnomalySettings[off]";
    }

    /** Builds {@link AnomalySettings}. Not thread-safe. */
    public static final class Builder {
        private boolean enabled;
        private Duration window = Duration.ofSeconds(10);
        private double alpha = 0.3;
        private double threshold = 10;
        private double wafPoints = 4;
        private double authFailurePoints = 6;
        private double notFoundPoints = 5;
        private double scanPoints = 6;
        private double ratePoints = 8;
        private int minRequests = 20;
        private int scanPaths = 40;
        private double rateMultiplier = 10;
        private int rateFloor = 300;
        private Duration banTtl = Duration.ofMinutes(5);
        private double escalation = 4;
        private Duration maxBanTtl = Duration.ofHours(24);
        private Duration offenseMemory = Duration.ofHours(24);
        private Store store = Store.MEMORY;
        private String redisUri;
        private Duration redisTimeout = Duration.ofMillis(200);
        private int attackBans = 5;
        private int attackDetections = 100;
        private int maxClients = 100_000;

        private Builder() {
        }

        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** @throws IllegalArgumentException unless 1s..1h */
        public Builder window(Duration window) {
            if (window.compareTo(Duration.ofSeconds(1)) < 0 || window.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("window: " + window + " (expected: 1s..1h)");
            }
            this.window = window;
            return this;
        }

        /** @throws IllegalArgumentException unless {@code 0 < alpha <= 1} */
        public Builder alpha(double alpha) {
            if (!(alpha > 0 && alpha <= 1)) {
                throw new IllegalArgumentException("alpha: " + alpha + " (expected: 0 < alpha <= 1)");
            }
            this.alpha = alpha;
            return this;
        }

        /** @throws IllegalArgumentException unless positive */
        public Builder threshold(double threshold) {
            this.threshold = positive("threshold", threshold);
            return this;
        }

        /** Points per WAF detection, authentication failures, 404 probing, scanning and rate, in that order. */
        public Builder points(double waf, double authFailures, double notFound, double scanning, double rate) {
            this.wafPoints = nonNegative("points.waf", waf);
            this.authFailurePoints = nonNegative("points.auth-failures", authFailures);
            this.notFoundPoints = nonNegative("points.not-found", notFound);
            this.scanPoints = nonNegative("points.scanning", scanning);
            this.ratePoints = nonNegative("points.rate", rate);
            return this;
        }

        /** @throws IllegalArgumentException unless at least 1 */
        public Builder minRequests(int n) {
            this.minRequests = (int) positive("minRequests", n);
            return this;
        }

        public Builder scanPaths(int n) {
            this.scanPaths = (int) positive("scanPaths", n);
            return this;
        }

        public Builder rate(double multiplier, int floor) {
            this.rateMultiplier = positive("rate.multiplier", multiplier);
            this.rateFloor = (int) positive("rate.floor", floor);
            return this;
        }

        /**
         * @throws IllegalArgumentException when a length is not positive, escalation is below 1 or max below base
         */
        public Builder ban(Duration ttl, double escalation, Duration max, Duration offenseMemory) {
            if (ttl.isNegative() || ttl.isZero() || max.compareTo(ttl) < 0 || escalation < 1 || offenseMemory.isNegative()) {
                throw new IllegalArgumentException("ban: ttl " + ttl + ", escalation " + escalation + ", max " + max
                        + ", memory " + offenseMemory + " (expected: ttl > 0, escalation >= 1, max >= ttl, memory >= 0)");
            }
            this.banTtl = ttl;
            this.escalation = escalation;
            this.maxBanTtl = max;
            this.offenseMemory = offenseMemory;
            return this;
        }

        /** Bans in memory. */
        public Builder memoryStore() {
            this.store = Store.MEMORY;
            this.redisUri = null;
            return this;
        }

        /**
         * Bans in Redis, shared by replicas.
         *
         * @throws IllegalArgumentException when the URI is not {@code redis://} or {@code rediss://}
         */
        public Builder redisStore(String uri, Duration timeout) {
            if (uri == null || !(uri.startsWith("redis://") || uri.startsWith("rediss://"))) {
                throw new IllegalArgumentException("redis uri: '" + uri + "' (expected: redis://host:port or rediss://...)");
            }
            this.store = Store.REDIS;
            this.redisUri = uri;
            this.redisTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** When an attack is declared: bans or WAF detections a minute. */
        public Builder attack(int bansPerMinute, int detectionsPerMinute) {
            this.attackBans = (int) positive("attack.bans", bansPerMinute);
            this.attackDetections = (int) positive("attack.detections", detectionsPerMinute);
            return this;
        }

        public Builder maxClients(int n) {
            this.maxClients = (int) positive("maxClients", n);
            return this;
        }

        private static double positive(String name, double v) {
            if (!(v > 0)) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
            }
            return v;
        }

        private static double nonNegative(String name, double v) {
            if (!(v >= 0)) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: >= 0)");
            }
            return v;
        }

        public AnomalySettings build() {
            return new AnomalySettings(this);
        }
    }
}
