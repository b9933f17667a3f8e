package io.aegis.gateway.redis;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Where Redis is and how long the gateway waits for it.
 *
 * <p>Defaults: {@code redis://127.0.0.1:6379}, command timeout 50 ms (a distributed decision
 * never blocks a request longer), connect timeout 1 s, and a Redis found unavailable is probed
 * again every second. Immutable and thread-safe; equal settings share one client per process.
 */
public final class RedisSettings {

    /** The URI used when none is configured. */
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";

    private static final RedisSettings DEFAULTS = builder().build();

    private final String uri;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Duration probeInterval;

    private RedisSettings(Builder b) {
        this.uri = b.uri;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.probeInterval = b.probeInterval;
    }

    public static RedisSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().uri(uri).commandTimeout(commandTimeout).connectTimeout(connectTimeout)
                .probeInterval(probeInterval);
    }

    /** The Redis URI ({@code redis://[user:password@]host:port[/db]} or {@code rediss://…} for TLS). */
    public String uri() {
        return uri;
    }

    /** The longest a command may take before the store counts as unavailable. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** How often an unavailable Redis is probed (PING) until it answers again. */
    public Duration probeInterval() {
        return probeInterval;
    }

    /** The URI with any password replaced by {@code ****}, for logs. */
    public String safeUri() {
        int at = uri.indexOf('@');
        int scheme = uri.indexOf("://");
        return at < 0 || scheme < 0 ? uri : uri.substring(0, scheme + 3) + "****" + uri.substring(at);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedisSettings s && s.uri.equals(uri) && s.commandTimeout.equals(commandTimeout)
                && s.connectTimeout.equals(connectTimeout) && s.probeInterval.equals(probeInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(uri, commandTimeout, connectTimeout, probeInterval);
    }

    @Override
    public String toString() {
        return "RedisSettings[" + safeUri() + ", command timeout " + commandTimeout.toMillis() + "ms]";
    }

    /** Builds {@link RedisSettings}. Not thread-safe. */
    public static final class Builder {
        private String uri = DEFAULT_URI;
        private Duration commandTimeout = Duration.ofMillis(50);
        private Duration connectTimeout = Duration.ofSeconds(1);
        private Duration probeInterval = Duration.ofSeconds(1);

        private Builder() {
        }

        /**
         * @throws IllegalArgumentException unless a {@code redis://} or {@code rediss://} URI with a host
         */
        public Builder uri(String uri) {
            Objects.requireNonNull(uri, "uri");
            URI u;
            try {
                u = URI.create(uri.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("uri: '" + uri + "' (expected: redis://host:port)", e);
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("redis") && !scheme.equals("rediss") || u.getHost() == null) {
                throw new IllegalArgumentException("uri: '" + uri + "' (expected: redis://host:port or rediss://host:port)");
            }
            this.uri = uri.trim();
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 ms and 10 s */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = bounded("command-timeout", timeout, Duration.ofMillis(1), Duration.ofSeconds(10));
            return this;
        }

        /** @throws IllegalArgumentException unless between 1 ms and 1 min */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = bounded("connect-timeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
            return this;
        }

        /** @throws IllegalArgumentException unless between 10 ms and 1 min */
        public Builder probeInterval(Duration interval) {
            this.probeInterval = bounded("probe-interval", interval, Duration.ofMillis(10), Duration.ofMinutes(1));
            return this;
        }

        private static Duration bounded(String name, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + ": " + d + " (expected: " + min + " to " + max + ")");
            }
            return d;
        }

        public RedisSettings build() {
            return new RedisSettings(this);
        }
    }
}
