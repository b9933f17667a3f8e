package io.aegis.examples.recommendations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.jaxrs.AegisContext;
import io.aegis.gateway.jaxrs.ProblemException;
import io.aegis.gateway.jaxrs.RequiresScopes;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.resilience.CallContext;
import io.aegis.gateway.resilience.Degradation;
import io.aegis.gateway.resilience.OutboundRequest;
import io.aegis.gateway.resilience.OutboundResponse;
import io.aegis.gateway.resilience.ServiceClient;
import io.aegis.gateway.resilience.Upstreams;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;

/**
 * {@code GET /api/v1/recommendations/{userId}}: the user (user-service) and their policies
 * (policy-service), fetched in parallel through the resilient client with the caller's token, and
 * the products to suggest. When an upstream is down — or answered only from the last-good cache —
 * the response is still 200, with what is known, the missing parts in {@code "degraded"} and the
 * {@code Aegis-Degraded} header; only when both are missing is it 503.
 */
@Path("/api/v1/recommendations")
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationResource {

    /** The upstream names, as configured under {@code aegis.upstreams.*}. */
    static final String USERS = "user-service";
    static final String POLICIES = "policy-service";
    /** The part names of the degradation contract. */
    static final String USER_PART = "user";
    static final String POLICY_PART = "policy";

    private static final System.Logger LOG = System.getLogger(RecommendationResource.class.getName());
    private static final Pattern USER_ID = Pattern.compile("u-[0-9]{1,9}");
    private static final ProblemType VALIDATION = ProblemType.of("validation-failed", 400, "Invalid request");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Upstreams upstreams;
    private final RecommendationWriter writer;

    @Inject
    public RecommendationResource(Upstreams upstreams, RecommendationWriter writer) {
        this.upstreams = upstreams;
        this.writer = writer;
    }

    @GET
    @Path("{userId}")
    @RequiresScopes("recommendations:read")
    public Response recommend(@PathParam("userId") String userId, @Context ContainerRequestContext request) {
        if (!USER_ID.matcher(userId).matches()) {
            throw new ProblemException(Problem.of(VALIDATION, "userId: a user id such as u-1001."));
        }
        CallContext call = AegisContext.callContext(request);
        ServiceClient users = upstreams.client(USERS);
        ServiceClient policies = upstreams.client(POLICIES);
        CompletableFuture<OutboundResponse> user = users.sendAsync(call, OutboundRequest.get("/api/v1/users/" + userId));
        CompletableFuture<OutboundResponse> owned = policies.sendAsync(call,
                OutboundRequest.builder("GET", "/api/v1/policies").query("owner=" + userId).build());

        Set<String> degraded = new TreeSet<>();
        JsonNode userJson = part(USER_PART, user, degraded);
        if (userJson != null && userJson.has("status") && userJson.path("status").asInt() == 404) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, "No user with id " + userId + "."));
        }
        JsonNode policyJson = part(POLICY_PART, owned, degraded);
        if (userJson == null && policyJson == null) {
            throw new ProblemException(Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                    .detail("Neither the user-service nor the policy-service answered; try again shortly.")
                    .with(Degradation.FIELD, List.copyOf(degraded))
                    .header("Retry-After", "5")
                    .header(Degradation.HEADER, Degradation.headerValue(degraded))
                    .build());
        }

        String name = userJson == null ? null : userJson.path("name").asText(null);
        String city = userJson == null ? null : userJson.path("city").asText(null);
        List<Map<String, Object>> policyViews = null;
        List<String> products = null;
        if (policyJson != null) {
            policyViews = new ArrayList<>();
            Set<String> p = new TreeSet<>();
            for (JsonNode n : policyJson.path("policies")) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("id", n.path("id").asText());
                v.put("product", n.path("product").asText());
                v.put("title", n.path("title").asText());
                policyViews.add(v);
                p.add(n.path("product").asText());
            }
            products = List.copyOf(p);
        }
        Recommendation r = Recommender.recommend(userId, name, city, products, Set.copyOf(degraded));
        String message;
        try {
            message = writer.write(r);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the recommendation writer failed; using the template", e);
            message = new TemplateRecommendationWriter().write(r);
        }

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        if (userJson != null) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("name", name);
            u.put("city", city);
            body.put("user", u);
        } else {
            body.put("user", null);
        }
        body.put("policies", policyViews);
        List<Map<String, Object>> suggestions = new ArrayList<>();
        for (Recommendation.Suggestion s : r.suggestions()) {
            suggestions.add(Map.of("product", s.product(), "reason", s.reason()));
        }
        body.put("recommendations", suggestions);
        body.put("message", message);
        Response.ResponseBuilder ok = Response.ok();
        if (!degraded.isEmpty()) {
            body.put(Degradation.FIELD, List.copyOf(degraded));
            ok.header(Degradation.HEADER, Degradation.headerValue(degraded));
        }
        return ok.entity(body).build();
    }

    /**
     * The JSON of one upstream's answer, or {@code null} (and the part named degraded) when it gave
     * none, or only a stale last-good one (then the stale JSON is used and the part is still named).
     * A 404 is returned as {@code {"status":404}} for the caller to decide.
     */
    private static JsonNode part(String part, CompletableFuture<OutboundResponse> future, Set<String> degraded) {
        OutboundResponse r;
        try {
            r = future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            degraded.add(part);
            return null;
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.INFO, "the " + part + " part is missing: " + e.getCause().getMessage());
            degraded.add(part);
            return null;
        }
        if (r.status() == 404 && !r.fromFallback()) {
            return JSON.createObjectNode().put("status", 404);
        }
        if (!r.successful()) {
            LOG.log(System.Logger.Level.INFO, "the " + part + " part is missing: the upstream answered " + r.status());
            degraded.add(part);
            return null;
        }
        if (r.fromFallback()) {
            degraded.add(part);
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "the " + part + " part is not JSON");
            degraded.add(part);
            return null;
        }
    }
}
