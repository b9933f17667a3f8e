package io.aegis.gateway.jaxrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.adaptive.AdaptiveLimiter;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.quota.QuotaLimits;
import io.aegis.gateway.quota.QuotaUsage;
import io.aegis.gateway.ratelimit.CallerKey;
import io.aegis.gateway.ratelimit.EmergencyMode;
import io.aegis.gateway.ratelimit.Limit;
import io.aegis.gateway.ratelimit.spi.BackendUnavailableException;
import io.aegis.gateway.traffic.TrafficControl;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The traffic admin endpoint, for operators holding the scope {@value #ADMIN_SCOPE}:
 *
 * <ul>
 *   <li>{@code GET /admin/traffic}: Redis availability, emergency mode, adaptive limit;</li>
 *   <li>{@code GET /admin/traffic/quotas/{kind}/{id}?tier=free}: a caller's usage ({@code kind}
 *       is {@code tenant}, {@code user}, {@code api-key} or {@code ip});</li>
 *   <li>{@code PUT /admin/traffic/quotas/{kind}/{id}} with {@code {"daily": 5000, "monthly": 100000}}:
 *       the caller's own budgets (0 = none), from its next request, on every replica;</li>
 *   <li>{@code DELETE /admin/traffic/quotas/{kind}/{id}}: back to the tier's budgets;</li>
 *   <li>{@code GET /admin/traffic/quotas}: every override;</li>
 *   <li>{@code PUT /admin/traffic/emergency} with {@code {"factor": 0.5, "refuse_anonymous": true,
 *       "reason": "…", "hold": "30m"}}: enter emergency mode (audited with the caller as actor);</li>
 *   <li>{@code DELETE /admin/traffic/emergency?reason=…}: leave it.</li>
 * </ul>
 *
 * <p>Register beside the {@link AegisFeature} (as a class, or an instance for a given gateway).
 * The resource translates HTTP to the gateway's {@link TrafficControl}; it decides nothing.
 * Invalid input is a {@code 400 bad-request} problem; a quota store that cannot answer, 503.
 */
@Path("/admin/traffic")
@RequiresScopes(AegisTrafficResource.ADMIN_SCOPE)
@Produces(MediaType.APPLICATION_JSON)
public final class AegisTrafficResource {

    /** The scope the admin endpoint requires. */
    public static final String ADMIN_SCOPE = "aegis:admin";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AegisGateway fixed;

    @Context
    private Configuration configuration;

    /** For registration as a class: the gateway is the one of the {@link AegisFeature} registered beside it. */
    public AegisTrafficResource() {
        this.fixed = null;
    }

    /** For registration as an instance. */
    public AegisTrafficResource(AegisGateway gateway) {
        this.fixed = Objects.requireNonNull(gateway, "gateway");
    }

    private TrafficControl traffic() {
        if (fixed != null) {
            return fixed.traffic();
        }
        Object g = configuration == null ? null : configuration.getProperty(AegisFeature.GATEWAY_PROPERTY);
        if (g instanceof AegisGateway gw) {
            return gw.traffic();
        }
        throw new IllegalStateException("no AegisFeature is registered in this application");
    }

    @GET
    public Response status() {
        TrafficControl t = traffic();
        Map<String, Object> out = new LinkedHashMap<>();
        Boolean redis = t.redisAvailable();
        out.put("redis", redis == null ? "unused" : redis ? "available" : "unavailable");
        out.put("emergency", emergency(t.emergency().state()));
        AdaptiveLimiter a = t.adaptive();
        Map<String, Object> adaptive = new LinkedHashMap<>();
        adaptive.put("enabled", a.settings().enabled());
        adaptive.put("limit", a.limit());
        adaptive.put("inflight", a.inflight());
        adaptive.put("shed", a.shedCount());
        out.put("adaptive", adaptive);
        return json(200, out);
    }

    @GET
    @Path("/quotas")
    public Response overrides() {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            traffic().quotas().overrides().forEach((k, v) -> out.put(k, limits(v)));
        } catch (BackendUnavailableException e) {
            throw unavailable(e);
        }
        return json(200, out);
    }

    @GET
    @Path("/quotas/{kind}/{id}")
    public Response usage(@PathParam("kind") String kind, @PathParam("id") String id, @QueryParam("tier") String tier) {
        String caller = caller(kind, id);
        Tier t = null;
        if (tier != null) {
            try {
                t = Tier.parse(tier);
            } catch (IllegalArgumentException e) {
                throw badRequest(e.getMessage());
            }
        }
        QuotaUsage u;
        try {
            u = traffic().quotas().usage(caller, t);
        } catch (BackendUnavailableException e) {
            throw unavailable(e);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("caller", u.caller());
        out.put("limits", limits(u.limits()));
        out.put("overridden", u.overridden());
        out.put("day", Map.of("used", u.dayUsed(), "resets_at", u.dayResetsAt().toString()));
        out.put("month", Map.of("used", u.monthUsed(), "resets_at", u.monthResetsAt().toString()));
        return json(200, out);
    }

    @PUT
    @Path("/quotas/{kind}/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setOverride(@PathParam("kind") String kind, @PathParam("id") String id, String body) {
        String caller = caller(kind, id);
        JsonNode n = body(body);
        QuotaLimits l;
        try {
            l = QuotaLimits.of(n.path("daily").asLong(0), n.path("monthly").asLong(0));
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        if (l.isNone() && !n.has("daily") && !n.has("monthly")) {
            throw badRequest("body: expected {\"daily\": N, \"monthly\": M}");
        }
        try {
            traffic().quotas().setOverride(caller, l);
        } catch (BackendUnavailableException e) {
            throw unavailable(e);
        }
        return json(200, Map.of("caller", caller, "limits", limits(l)));
    }

    @DELETE
    @Path("/quotas/{kind}/{id}")
    public Response removeOverride(@PathParam("kind") String kind, @PathParam("id") String id) {
        try {
            traffic().quotas().removeOverride(caller(kind, id));
        } catch (BackendUnavailableException e) {
            throw unavailable(e);
        }
        return Response.noContent().build();
    }

    @PUT
    @Path("/emergency")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response enterEmergency(String body, @Context SecurityContext sc) {
        JsonNode n = body(body);
        EmergencyMode mode = traffic().emergency();
        double factor = n.has("factor") ? n.path("factor").asDouble(Double.NaN) : mode.configured().factor();
        boolean refuse = n.has("refuse_anonymous") ? n.path("refuse_anonymous").asBoolean()
                : mode.configured().refuseAnonymous();
        Duration hold = null;
        if (n.hasNonNull("hold")) {
            try {
                hold = Limit.parseDuration(n.path("hold").asText());
            } catch (IllegalArgumentException e) {
                throw badRequest(e.getMessage());
            }
        }
        try {
            mode.enter(factor, refuse, n.path("reason").asText("admin request"), actor(sc), hold);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
        return json(200, emergency(mode.state()));
    }

    @DELETE
    @Path("/emergency")
    public Response leaveEmergency(@QueryParam("reason") String reason, @Context SecurityContext sc) {
        EmergencyMode mode = traffic().emergency();
        mode.leave(reason == null ? "admin request" : reason, actor(sc));
        return json(200, emergency(mode.state()));
    }

    private static String actor(SecurityContext sc) {
        return sc == null || sc.getUserPrincipal() == null ? "unknown" : sc.getUserPrincipal().getName();
    }

    private static String caller(String kind, String id) {
        try {
            return CallerKey.parse(kind, id);
        } catch (IllegalArgumentException e) {
            throw badRequest(e.getMessage());
        }
    }

    private static JsonNode body(String body) {
        try {
            JsonNode n = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            if (!n.isObject()) {
                throw badRequest("body: expected a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw badRequest("body: not JSON");
        }
    }

    private static Map<String, Object> limits(QuotaLimits l) {
        return Map.of("daily", l.daily(), "monthly", l.monthly());
    }

    private static Map<String, Object> emergency(EmergencyMode.State s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", s.active());
        if (s.active()) {
            m.put("factor", s.factor());
            m.put("refuse_anonymous", s.refuseAnonymous());
            m.put("reason", s.reason());
            m.put("actor", s.actor());
            m.put("since", s.since().toString());
            if (s.until() != null) {
                m.put("until", s.until().toString());
            }
        }
        return m;
    }

    private static ProblemException badRequest(String detail) {
        return new ProblemException(Problem.of(ProblemType.BAD_REQUEST, detail));
    }

    private static ProblemException unavailable(BackendUnavailableException e) {
        long retry = Math.max(1, e.retryAfter().toSeconds());
        return new ProblemException(Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                .detail("The quota store is unavailable; retry in " + retry + " s.")
                .header("Retry-After", Long.toString(retry)).build());
    }

    private static Response json(int status, Object body) {
        try {
            return Response.status(status).type(MediaType.APPLICATION_JSON).header("Cache-Control", "no-store")
                    .entity(JSON.writeValueAsString(body)).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
