package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.pipeline.Exchange;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.MultivaluedMap;

/**
 * Puts the headers the policies asked for on every response (the application's or a
 * rejection's) and tells the pipeline the final status.
 */
@Priority(Priorities.AUTHENTICATION - 500)
public final class ResponseFilter implements ContainerResponseFilter {

    private final AegisGateway gateway;

    public ResponseFilter(AegisGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void filter(ContainerRequestContext req, ContainerResponseContext res) {
        Exchange exchange = (Exchange) req.getProperty(PreMatchingFilter.EXCHANGE);
        if (exchange == null) {
            return;
        }
        MultivaluedMap<String, Object> headers = res.getHeaders();
        exchange.responseHeaders().forEach(headers::add);
        gateway.pipeline().complete(exchange, res.getStatus());
    }
}
