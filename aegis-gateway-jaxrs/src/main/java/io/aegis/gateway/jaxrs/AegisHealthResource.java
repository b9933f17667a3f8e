package io.aegis.gateway.jaxrs;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.health.HealthRegistry;
import io.aegis.gateway.health.HealthReport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Objects;

/**
 * Health endpoints in the MicroProfile Health format, public: {@code /health} (all checks),
 * {@code /health/live}, {@code /health/ready}, {@code /health/started}. 200 when UP, 503 when
 * DOWN. Checks come from the gateway's {@link HealthRegistry}; applications add their own there.
 */
@Path("/health")
@PublicEndpoint
@Produces(MediaType.APPLICATION_JSON)
public final class AegisHealthResource {

    private final AegisGateway fixed;

    @Context
    private Configuration configuration;

    /** For registration as a class: the gateway is the one of the {@link AegisFeature} registered beside it. */
    public AegisHealthResource() {
        this.fixed = null;
    }

    /** For registration as an instance. */
    public AegisHealthResource(AegisGateway gateway) {
        this.fixed = Objects.requireNonNull(gateway, "gateway");
    }

    private AegisGateway gateway() {
        if (fixed != null) {
            return fixed;
        }
        Object g = configuration == null ? null : configuration.getProperty(AegisFeature.GATEWAY_PROPERTY);
        if (g instanceof AegisGateway gw) {
            return gw;
        }
        throw new IllegalStateException("no AegisFeature is registered in this application");
    }

    @GET
    public Response all() {
        return respond(gateway().health().reportAll());
    }

    @GET
    @Path("/live")
    public Response live() {
        return respond(gateway().health().report(HealthRegistry.Kind.LIVENESS));
    }

    @GET
    @Path("/ready")
    public Response ready() {
        return respond(gateway().health().report(HealthRegistry.Kind.READINESS));
    }

    @GET
    @Path("/started")
    public Response started() {
        return respond(gateway().health().report(HealthRegistry.Kind.STARTUP));
    }

    private static Response respond(HealthReport report) {
        return Response.status(report.httpStatus()).type(MediaType.APPLICATION_JSON)
                .header("Cache-Control", "no-store").entity(report.toJson()).build();
    }
}
