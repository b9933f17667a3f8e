package io.aegis.gateway.jaxrs;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.versioning.VersionUsageReport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Objects;

/**
 * Operators' view of the API versions, for callers with the scope {@value #ADMIN_SCOPE}:
 * <ul>
 *   <li>{@code GET /admin/versions}: the catalogue, each version with its status and dates;</li>
 *   <li>{@code GET /admin/versions/usage}: which clients still call deprecated (or sunset)
 *       versions, with call counts by route and first/last-seen times, most recent first;
 *       {@code ?all=true} lists the clients of every version.</li>
 * </ul>
 * JSON as {@link VersionUsageReport#toJson()} writes it. Counts are since start, per replica.
 */
@Path("/admin/versions")
@RequiresScopes(AegisVersionsResource.ADMIN_SCOPE)
@Produces(MediaType.APPLICATION_JSON)
public final class AegisVersionsResource {

    /** The scope the endpoints require. */
    public static final String ADMIN_SCOPE = "aegis:admin";

    private final AegisGateway fixed;

    @Context
    private Configuration configuration;

    /** For registration as a class: the gateway is the one of the {@link AegisFeature} registered beside it. */
    public AegisVersionsResource() {
        this.fixed = null;
    }

    /** For registration as an instance. */
    public AegisVersionsResource(AegisGateway gateway) {
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
    public Response catalogue() {
        VersionUsageReport r = gateway().versions().usageReport();
        return json(new VersionUsageReport(r.generatedAt(), r.defaultVersion(), r.versions(), List.of()).toJson());
    }

    @GET
    @Path("/usage")
    public Response usage(@QueryParam("all") boolean all) {
        VersionUsageReport r = gateway().versions().usageReport();
        return json((all ? r : r.deprecatedOnly()).toJson());
    }

    private static Response json(String body) {
        return Response.ok(body, MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").build();
    }
}
