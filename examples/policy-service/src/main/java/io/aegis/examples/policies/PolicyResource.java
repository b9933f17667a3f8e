package io.aegis.examples.policies;

import io.aegis.gateway.jaxrs.ProblemException;
import io.aegis.gateway.jaxrs.RequiresScopes;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** The policies API, version 1: JSON policy documents. Security is declared; the gateway enforces it. */
@Path("/api/v1/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    static final Set<String> PRODUCTS = Set.of("auto", "home", "health", "travel", "life");
    private static final Pattern USER_ID = Pattern.compile("u-[0-9]{1,9}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000");
    private static final ProblemType VALIDATION = ProblemType.of("validation-failed", 400, "Invalid request");

    private final PolicyRepository policies;

    @Inject
    public PolicyResource(PolicyRepository policies) {
        this.policies = policies;
    }

    @GET
    @Path("{id}")
    @RequiresScopes("policies:read")
    public Response get(@PathParam("id") String id) {
        return policies.find(id).map(p -> Response.ok(view(p)).build())
                .orElseThrow(() -> new ProblemException(Problem.of(ProblemType.NOT_FOUND, "No policy with id " + safe(id) + ".")));
    }

    @GET
    @RequiresScopes("policies:read")
    public Map<String, Object> byOwner(@QueryParam("owner") String owner, @QueryParam("limit") Integer limit) {
        if (owner == null || !USER_ID.matcher(owner).matches()) {
            throw new ProblemException(Problem.of(VALIDATION, "owner: a user id such as u-1001 is required."));
        }
        int n = limit == null ? 50 : limit;
        if (n < 1 || n > 100) {
            throw new ProblemException(Problem.of(VALIDATION, "limit: expected 1..100."));
        }
        List<Map<String, Object>> found = policies.byOwner(owner, n).stream().map(PolicyResource::view).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("owner", owner);
        out.put("policies", found);
        out.put("count", found.size());
        return out;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScopes("policies:write")
    public Response create(Map<String, Object> body, @Context UriInfo uri) {
        if (body == null) {
            throw invalid("A JSON policy document is required.");
        }
        String owner = text(body.get("owner"));
        String product = text(body.get("product"));
        String title = text(body.get("title"));
        String currency = text(body.get("currency"));
        if (owner == null || !USER_ID.matcher(owner).matches()) {
            throw invalid("owner: a user id such as u-1001 is required.");
        }
        if (product == null || !PRODUCTS.contains(product)) {
            throw invalid("product: one of auto, home, health, travel, life.");
        }
        if (title == null || title.isBlank() || title.length() > 100) {
            throw invalid("title: required, at most 100 characters.");
        }
        if (currency == null || !CURRENCY.matcher(currency).matches()) {
            throw invalid("currency: an ISO 4217 code such as EUR.");
        }
        BigDecimal coverage = amount(body.get("coverage"), "coverage");
        BigDecimal premium = amount(body.get("monthlyPremium"), "monthlyPremium");
        Policy p = policies.create(owner, product, title.strip(), coverage, premium, currency);
        return Response.created(uri.getAbsolutePathBuilder().path(p.id()).build()).entity(view(p)).build();
    }

    private static BigDecimal amount(Object v, String name) {
        BigDecimal d;
        if (v instanceof Number n) {
            d = new BigDecimal(n.toString());
        } else {
            throw invalid(name + ": a positive number is required.");
        }
        if (d.signum() <= 0 || d.compareTo(MAX_AMOUNT) > 0 || d.scale() > 2) {
            throw invalid(name + ": a positive amount with at most 2 decimals, below 10^12.");
        }
        return d;
    }

    static Map<String, Object> view(Policy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("owner", p.owner());
        m.put("product", p.product());
        m.put("title", p.title());
        m.put("coverage", p.coverage());
        m.put("monthlyPremium", p.monthlyPremium());
        m.put("currency", p.currency());
        m.put("createdAt", p.createdAt().toString());
        return m;
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(Problem.of(VALIDATION, detail));
    }

    private static String text(Object o) {
        return o instanceof String s ? s : null;
    }

    private static String safe(String id) {
        String s = id.length() > 40 ? id.substring(0, 40) + "…" : id;
        return s.replaceAll("[^A-Za-z0-9._-]", "?");
    }
}
