package io.aegis.gateway.resilience;

import io.aegis.gateway.resilience.spi.OutboundCredentials;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEventListener;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The {@link ServiceClient}s of a service, one per upstream of its policy
 * ({@link io.aegis.gateway.policy.ServicePolicy#upstreams()}), kept in step with configuration
 * reloads:
 *
 * <pre>{@code
 * AegisGateway gateway = AegisGateway.fromConfig();
 * Upstreams upstreams = Upstreams.builder(() -> gateway.policy().upstreams())
 *         .events(gateway.events()).openTelemetry(gateway.openTelemetry())
 *         .build();                       // follows gateway.reload() through its events
 * ServiceClient users = upstreams.client("user-service");
 * }</pre>
 *
 * <p>On every {@code config.reloaded} event of the given {@link GatewayEvents} (and on
 * {@link #refresh()}), each client gets its upstream's new settings through
 * {@link ServiceClient#update}; new upstreams get a client; a removed upstream's client is closed
 * (calls in flight on it end with {@link UpstreamException.Kind#CLOSED} at their next try). A
 * settings change that a client refuses (e.g. credentials missing) is logged and leaves that client
 * as it was.
 *
 * <p>Thread-safe.
 */
public final class Upstreams implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Upstreams.class.getName());

    private final Supplier<List<UpstreamPolicy>> source;
    private final GatewayEvents events;
    private final OpenTelemetry openTelemetry;
    private final LongSupplier ticker;
    private final Map<String, OutboundCredentials> credentials;
    private final Map<String, Fallback> fallbacks;
    private final Map<String, ServiceClient> clients = new ConcurrentHashMap<>();
    private final GatewayEventListener reloadListener;

    private Upstreams(Builder b) {
        this.source = b.source;
        this.events = b.events;
        this.openTelemetry = b.openTelemetry;
        this.ticker = b.ticker;
        this.credentials = Map.copyOf(b.credentials);
        this.fallbacks = Map.copyOf(b.fallbacks);
        refresh();
        this.reloadListener = e -> {
            if (GatewayEvent.CONFIG_RELOADED.equals(e.type())) {
                refresh();
            }
        };
        if (events != GatewayEvents.none()) {
            events.addListener(reloadListener);
        }
    }

    /**
     * Starts a registry over a source of upstream policies, read now and on every reload (usually
     * {@code () -> gateway.policy().upstreams()}).
     */
    public static Builder builder(Supplier<List<UpstreamPolicy>> source) {
        return new Builder(source);
    }

    /**
     * The client of an upstream.
     *
     * @throws IllegalArgumentException when the policy defines no upstream of that name
     */
    public ServiceClient client(String name) {
        ServiceClient c = clients.get(name);
        if (c == null) {
            throw new IllegalArgumentException("upstream: " + name + " (expected: one of " + names()
                    + "; configure aegis.upstreams." + name + ".targets)");
        }
        return c;
    }

    /** The names of the upstreams with a client. */
    public Set<String> names() {
        return new TreeSet<>(clients.keySet());
    }

    /** Re-reads the source and updates, adds or closes clients. */
    public synchronized void refresh() {
        List<UpstreamPolicy> policies = source.get();
        Map<String, UpstreamPolicy> byName = new HashMap<>();
        for (UpstreamPolicy p : policies) {
            byName.put(p.name(), p);
        }
        for (String name : new ArrayList<>(clients.keySet())) {
            if (!byName.containsKey(name)) {
                ServiceClient gone = clients.remove(name);
                gone.close();
                LOG.log(System.Logger.Level.INFO, "upstream " + name + " removed");
            }
        }
        for (UpstreamPolicy p : policies) {
            ServiceClient existing = clients.get(p.name());
            try {
                if (existing == null) {
                    clients.put(p.name(), ServiceClient.builder(p).events(events).openTelemetry(openTelemetry)
                            .ticker(ticker).credentials(credentials.get(p.name())).fallback(fallbacks.get(p.name()))
                            .build());
                } else {
                    existing.update(p);
                }
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.ERROR, "upstream " + p.name() + " not applied: " + e.getMessage());
                if (existing == null) {
                    throw e;
                }
            }
        }
    }

    /** Closes every client and stops following reloads. */
    @Override
    public synchronized void close() {
        if (events != GatewayEvents.none()) {
            events.removeListener(reloadListener);
        }
        clients.values().forEach(ServiceClient::close);
        clients.clear();
    }

    /** Builds {@link Upstreams}. Not thread-safe. */
    public static final class Builder {
        private final Supplier<List<UpstreamPolicy>> source;
        private GatewayEvents events = GatewayEvents.none();
        private OpenTelemetry openTelemetry = GlobalOpenTelemetry.getOrNoop();
        private LongSupplier ticker = System::nanoTime;
        private final Map<String, OutboundCredentials> credentials = new HashMap<>();
        private final Map<String, Fallback> fallbacks = new HashMap<>();

        private Builder(Supplier<List<UpstreamPolicy>> source) {
            this.source = Objects.requireNonNull(source, "source");
        }

        /** The gateway's events: clients publish to them, and reloads are followed through them. */
        public Builder events(GatewayEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public Builder openTelemetry(OpenTelemetry otel) {
            this.openTelemetry = Objects.requireNonNull(otel, "openTelemetry");
            return this;
        }

        /** The nano-time source of every client (tests). */
        public Builder ticker(LongSupplier ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** The credentials an upstream with identity {@code credentials} presents. */
        public Builder credentials(String upstream, OutboundCredentials credentials) {
            this.credentials.put(Objects.requireNonNull(upstream, "upstream"), Objects.requireNonNull(credentials, "credentials"));
            return this;
        }

        /** The default fallback of an upstream's calls. */
        public Builder fallback(String upstream, Fallback fallback) {
            this.fallbacks.put(Objects.requireNonNull(upstream, "upstream"), Objects.requireNonNull(fallback, "fallback"));
            return this;
        }

        /**
         * @throws IllegalArgumentException when an upstream cannot get a client (e.g. missing credentials)
         */
        public Upstreams build() {
            return new Upstreams(this);
        }
    }
}
