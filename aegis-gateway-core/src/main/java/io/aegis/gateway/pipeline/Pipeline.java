package io.aegis.gateway.pipeline;

import io.aegis.gateway.policy.RouteMatch;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.telemetry.GatewayEvent;
import io.aegis.gateway.telemetry.GatewayEvents;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The ordered chain of {@link GatewayPolicy policies} for one service.
 *
 * <p>Policies are sorted by {@link Stage} (stable within a stage), so the inbound order of the
 * architecture holds however they were registered. Evaluation stops at the first rejection.
 * Adapters call, per request:
 * <ol>
 *   <li>{@link #evaluate(Exchange)} (or {@link #evaluatePreRouting} then {@link #evaluateRouted}
 *       when the framework does its own routing), then</li>
 *   <li>{@link #complete(Exchange, int)} once the response status is known.</li>
 * </ol>
 *
 * <p>Immutable and thread-safe. A policy that throws is a bug: the pipeline logs it with an
 * incident id and answers 500 without any internal detail.
 */
public final class Pipeline {

    private static final System.Logger LOG = System.getLogger(Pipeline.class.getName());

    private final GatewayPolicy[] policies;
    private final int preRoutingCount;
    private final RouteTable routes;
    private final RoutePolicy fallbackRoute;
    private final GatewayEvents events;

    private Pipeline(Builder b) {
        List<GatewayPolicy> sorted = new ArrayList<>(b.policies);
        sorted.sort(Comparator.comparing(GatewayPolicy::stage)); // List.sort is stable
        this.policies = sorted.toArray(new GatewayPolicy[0]);
        int pre = 0;
        while (pre < policies.length && policies[pre].stage().preRouting()) {
            pre++;
        }
        this.preRoutingCount = pre;
        this.routes = b.routes;
        this.fallbackRoute = b.fallbackRoute;
        this.events = b.events;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The policies in evaluation order. */
    public List<GatewayPolicy> policies() {
        return List.of(policies);
    }

    /** The route table used when the adapter does not set the route itself; may be empty. */
    public RouteTable routes() {
        return routes;
    }

    /** The route applied to requests that match no route. */
    public RoutePolicy fallbackRoute() {
        return fallbackRoute;
    }

    /** Runs every stage: pre-routing, routing through the route table, then the routed stages. */
    public Decision evaluate(Exchange exchange) {
        Decision d = evaluatePreRouting(exchange);
        return d.rejects() ? d : evaluateRouted(exchange);
    }

    /** Runs the stages that do not need a route (client address, access control, inspection, version). */
    public Decision evaluatePreRouting(Exchange exchange) {
        if (exchange.pipeline != null && exchange.pipeline != this) {
            throw new IllegalStateException("exchange was started by another pipeline");
        }
        exchange.pipeline = this;
        Decision d = run(exchange, 0, preRoutingCount);
        exchange.preRoutingDone = true;
        return d;
    }

    /**
     * Runs the stages that need the route. When the adapter has not set a route on the exchange,
     * the route table is consulted with the {@linkplain Exchange#dispatchPath() dispatch path} (the
     * path a pre-routing policy rewrote the request to, if any), and the fallback route applies when
     * nothing matches.
     */
    public Decision evaluateRouted(Exchange exchange) {
        if (!exchange.preRoutingDone) {
            Decision d = evaluatePreRouting(exchange);
            if (d.rejects()) {
                return d;
            }
        }
        if (exchange.route() == null) {
            GatewayRequest r = exchange.request();
            // The path the framework dispatches on (decoded; rewritten when a version falls back).
            RouteMatch match = routes.match(r.method(), exchange.dispatchPath());
            exchange.route(match != null ? match.route() : fallbackRoute);
        }
        return run(exchange, preRoutingCount, policies.length);
    }

    private Decision run(Exchange exchange, int from, int to) {
        for (int i = from; i < to; i++) {
            GatewayPolicy p = policies[i];
            exchange.evaluated = i + 1;
            Decision d;
            try {
                d = Objects.requireNonNull(p.evaluate(exchange), "decision");
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError vme) {
                    throw vme;
                }
                String incident = UUID.randomUUID().toString();
                LOG.log(Level.ERROR, "policy " + p.name() + " failed; incident " + incident, e);
                d = Decision.reject(Problem.builder(ProblemType.INTERNAL_ERROR)
                        .detail("The gateway could not process the request.")
                        .with("incident", incident)
                        .build());
            }
            if (d.rejects()) {
                events.publish(GatewayEvent.rejected(exchange, p.name(), d.problem()));
                return d;
            }
        }
        return Decision.proceed();
    }


    /**
     * Tells every policy that evaluated this exchange the final status, in reverse order.
     * Safe to call more than once; only the first call has an effect.
     */
    public void complete(Exchange exchange, int status) {
        if (exchange.completed || exchange.pipeline == null) {
            return;
        }
        exchange.completed = true;
        GatewayPolicy[] ran = exchange.pipeline.policies;
        for (int i = exchange.evaluated - 1; i >= 0; i--) {
            try {
                ran[i].onComplete(exchange, status);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "policy " + ran[i].name() + " failed on completion", e);
            }
        }
    }

    @Override
    public String toString() {
        return "Pipeline" + Arrays.stream(policies).map(p -> p.stage() + ":" + p.name()).toList();
    }

    /** Builds a {@link Pipeline}. Not thread-safe. */
    public static final class Builder {
        private final List<GatewayPolicy> policies = new ArrayList<>();
        private RouteTable routes = RouteTable.empty();
        private RoutePolicy fallbackRoute = RoutePolicy.fallback();
        private GatewayEvents events = GatewayEvents.none();

        private Builder() {
        }

        /** Adds a policy; its stage decides where it runs. */
        public Builder add(GatewayPolicy policy) {
            policies.add(Objects.requireNonNull(policy, "policy"));
            return this;
        }

        public Builder addAll(List<? extends GatewayPolicy> more) {
            more.forEach(this::add);
            return this;
        }

        /** The routes matched when an adapter does not route itself (default: none). */
        public Builder routes(RouteTable routes) {
            this.routes = Objects.requireNonNull(routes, "routes");
            return this;
        }

        /** The route for requests that match none (default: {@link RoutePolicy#fallback()}). */
        public Builder fallbackRoute(RoutePolicy route) {
            this.fallbackRoute = Objects.requireNonNull(route, "route");
            return this;
        }

        /** Where rejections are reported (default: nowhere). */
        public Builder events(GatewayEvents events) {
            this.events = Objects.requireNonNull(events, "events");
            return this;
        }

        public Pipeline build() {
            return new Pipeline(this);
        }
    }
}
