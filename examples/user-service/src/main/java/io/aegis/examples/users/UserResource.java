package io.aegis.examples.users;

import io.aegis.gateway.jaxrs.ApiVersion;
import io.aegis.gateway.jaxrs.AuthSchemes;
import io.aegis.gateway.jaxrs.Masked;
import io.aegis.gateway.jaxrs.ProblemException;
import io.aegis.gateway.jaxrs.RequiresScopes;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.AuthScheme;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users API, version 1. Security is declared, not coded: the gateway enforces it, and masks
 * e-mail addresses and phone numbers in every response for callers without scope {@code pii:read}.
 * Callers present a bearer token or an API key ({@code X-API-Key}).
 */
@Path("/api/v1/users")
@AuthSchemes({AuthScheme.JWT, AuthScheme.API_KEY})
@Produces(MediaType.APPLICATION_JSON)
@ApiVersion(value = "v1", release = "2024-01-15", deprecation = "2025-06-01", sunset = "2027-12-31", successor = "v2",
        migrationGuide = "https://github.com/aegis/aegis-gateway/blob/main/docs/migrations/user-service-v1-to-v2.md")
@Masked({"email", "phone"})
public class UserResource {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,253}\\.[^@\\s.]{2,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{5,20}");
    private static final ProblemType VALIDATION = ProblemType.of("validation-failed", 400, "Invalid request");
    private static final ProblemType CONFLICT = ProblemType.of("conflict", 409, "Conflict");

    private final UserRepository users;

    @Inject
    public UserResource(UserRepository users) {
        this.users = users;
    }

    @GET
    @Path("{id}")
    @RequiresScopes("users:read")
    public Response get(@PathParam("id") String id) {
        return users.find(id)
                .map(u -> Response.ok(view(u)).build())
                .orElseGet(() -> problem(Problem.of(ProblemType.NOT_FOUND, "No user with id " + safe(id) + ".")));
    }

    @GET
    @RequiresScopes("users:read")
    public Response search(@QueryParam("search") String search, @QueryParam("limit") Integer limit) {
        if (search != null && search.length() > 100) {
            return problem(Problem.of(VALIDATION, "search: at most 100 characters."));
        }
        int n = limit == null ? 20 : limit;
        if (n < 1 || n > 100) {
            return problem(Problem.of(VALIDATION, "limit: expected 1..100."));
        }
        List<Map<String, Object>> found = users.search(search, n).stream().map(UserResource::view).toList();
        return Response.ok(Map.of("users", found, "count", found.size())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScopes("users:write")
    public Response create(Map<String, Object> body, @Context UriInfo uri) {
        if (body == null) {
            return problem(Problem.of(VALIDATION, "A JSON object with name and email is required."));
        }
        String name = text(body.get("name"));
        String email = text(body.get("email"));
        String phone = text(body.get("phone"));
        String city = text(body.get("city"));
        if (name == null || name.isBlank() || name.length() > 100) {
            return problem(Problem.of(VALIDATION, "name: required, at most 100 characters."));
        }
        if (email == null || !EMAIL.matcher(email).matches()) {
            return problem(Problem.of(VALIDATION, "email: a valid e-mail address is required."));
        }
        if (phone != null && !PHONE.matcher(phone).matches()) {
            return problem(Problem.of(VALIDATION, "phone: digits, spaces, parentheses and hyphens, optionally a leading +."));
        }
        if (city != null && city.length() > 100) {
            return problem(Problem.of(VALIDATION, "city: at most 100 characters."));
        }
        User u = users.create(name.strip(), email.strip(), phone, city == null ? "" : city.strip());
        if (u == null) {
            return problem(Problem.of(CONFLICT, "A user with this e-mail address exists."));
        }
        return Response.created(uri.getAbsolutePathBuilder().path(u.id()).build()).entity(view(u)).build();
    }

    static Map<String, Object> view(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("name", u.name());
        m.put("email", u.email());
        m.put("phone", u.phone());
        m.put("city", u.city());
        m.put("createdAt", u.createdAt().toString());
        return m;
    }

    private static String text(Object o) {
        return o instanceof String s ? s : null;
    }

    /** Keeps ids in messages short and printable. */
    private static String safe(String id) {
        String s = id.length() > 40 ? id.substring(0, 40) + "…" : id;
        return s.replaceAll("[^A-Za-z0-9._-]", "?");
    }

    private static Response problem(Problem p) {
        throw new ProblemException(p);
    }
}
