package io.aegis.gateway.jaxrs;

import io.aegis.gateway.jaxrs.internal.PreMatchingFilter;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.resilience.CallContext;
import io.aegis.gateway.resilience.Deadline;
import io.aegis.gateway.resilience.DeadlinePolicy;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Objects;

/**
 * What the gateway learned about the current request, for resource methods: inject the request
 * context and ask here.
 *
 * <pre>{@code
 * @GET @Path("{id}")
 * public Response get(@PathParam("id") String id, @Context ContainerRequestContext request) {
 *     CallContext call = AegisContext.callContext(request);   // caller's token, deadline, trace
 *     OutboundResponse user = users.send(call, OutboundRequest.get("/api/v1/users/" + id));
 * }
 * }</pre>
 *
 * <p>Capture the {@link CallContext} on the request thread; it may then travel to other threads.
 */
public final class AegisContext {

    private AegisContext() {
    }

    /**
     * The exchange of the request.
     *
     * @throws IllegalStateException when the request did not pass through {@link AegisFeature}
     */
    public static Exchange exchange(ContainerRequestContext request) {
        Objects.requireNonNull(request, "request");
        Object e = request.getProperty(PreMatchingFilter.EXCHANGE);
        if (!(e instanceof Exchange exchange)) {
            throw new IllegalStateException("no Aegis exchange on this request (expected: AegisFeature registered)");
        }
        return exchange;
    }

    /** The context outbound calls made for this request inherit (credential, deadline, trace). */
    public static CallContext callContext(ContainerRequestContext request) {
        return CallContext.from(exchange(request));
    }

    /** The deadline the caller propagated ({@value Deadline#HEADER}), or {@code null}. */
    public static Deadline deadline(ContainerRequestContext request) {
        return exchange(request).attribute(DeadlinePolicy.DEADLINE);
    }
}
