package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.Pipeline;
import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import java.net.URI;

/**
 * Runs the pre-routing stages (client address, access control, inspection, version) for every
 * request, matched or not, and leaves the exchange in a request property for the route filter.
 * The client address comes from the servlet request (Jersey injects a request-scoped proxy).
 */
@PreMatching
@Priority(Priorities.AUTHENTICATION - 500)
public final class PreMatchingFilter implements ContainerRequestFilter {

    /** The request property holding the {@link Exchange}. */
    public static final String EXCHANGE = Exchange.class.getName();

    private final AegisGateway gateway;

    @Context
    private HttpServletRequest servletRequest;

    public PreMatchingFilter(AegisGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void filter(ContainerRequestContext ctx) {
        String remote;
        boolean secure;
        try {
            remote = servletRequest.getRemoteAddr();
            secure = servletRequest.isSecure();
        } catch (RuntimeException e) {
            // Not in a servlet container, or no request bound: fall back to what JAX-RS knows.
            remote = "0.0.0.0";
            secure = "https".equalsIgnoreCase(ctx.getUriInfo().getRequestUri().getScheme());
        }
        Exchange exchange = new Exchange(new JaxRsGatewayRequest(ctx, remote, secure));
        ctx.setProperty(EXCHANGE, exchange);
        Pipeline pipeline = gateway.pipeline();
        Decision d = pipeline.evaluatePreRouting(exchange);
        if (d.rejects()) {
            ctx.abortWith(Responses.problem(d.problem()));
            return;
        }
        String rewritten = exchange.rewrittenRawPath();
        if (rewritten != null) {
            // A policy routed the request elsewhere (an API-version fallback): let Jersey match that path.
            URI base = ctx.getUriInfo().getBaseUri();
            String b = base.toString();
            String query = ctx.getUriInfo().getRequestUri().getRawQuery();
            ctx.setRequestUri(base, URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + rewritten
                    + (query == null ? "" : "?" + query)));
        }
    }
}
