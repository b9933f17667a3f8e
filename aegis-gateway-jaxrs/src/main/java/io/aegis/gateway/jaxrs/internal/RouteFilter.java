package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RoutePolicy;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;

/**
 * Bound to one resource method by the dynamic feature: sets the method's route on the exchange,
 * runs the routed stages (authentication, authorization, rate limits) and, on success, installs
 * the principal as the security context.
 */
public final class RouteFilter implements ContainerRequestFilter {

    private final AegisGateway gateway;
    private final RoutePolicy route;

    public RouteFilter(AegisGateway gateway, RoutePolicy route) {
        this.gateway = gateway;
        this.route = route;
    }

    public RoutePolicy route() {
        return route;
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        Exchange exchange = (Exchange) ctx.getProperty(PreMatchingFilter.EXCHANGE);
        if (exchange == null) {
            return; // the pre-matching filter aborted, or is not registered
        }
        exchange.route(route);
        Decision d = gateway.pipeline().evaluateRouted(exchange);
        if (d.rejects()) {
            ctx.abortWith(Responses.problem(d.problem()));
            return;
        }
        if (exchange.principal() != null) {
            ctx.setSecurityContext(new AegisSecurityContext(exchange.principal(), exchange.request().secure()));
        }
    }
}
