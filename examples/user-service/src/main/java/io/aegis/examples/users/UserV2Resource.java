package io.aegis.examples.users;

import io.aegis.gateway.jaxrs.ApiVersion;
import io.aegis.gateway.jaxrs.AuthSchemes;
import io.aegis.gateway.jaxrs.Masked;
import io.aegis.gateway.policy.AuthScheme;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users API, version 2 (the default version). The one breaking change from version 1: a
 * user's {@code name} is split into {@code givenName} and {@code familyName}, in responses and in
 * {@code POST}; see docs/migrations/user-service-v1-to-v2.md. Version 1 ({@link UserResource})
 * stays frozen until its sunset.
 */
@Path("/api/v2/users")
@AuthSchemes({AuthScheme.JWT, AuthScheme.API_KEY})
@Masked({"email", "phone"})
@Produces(MediaType.APPLICATION_JSON)
@ApiVersion(value = "v2", release = "2025-06-01", defaultVersion = true)
public class UserV2Resource {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[^@\\s]{1,253}\\.[^@\\s.]{2,63}");
    private static final Pattern PHONE = Pattern.compile("\\+?[0-9][0-9 ()-]{5,20}");
    private static final ProblemType VALIDATION = ProblemType.of("validation-failed", 400, "Invalid request");
    private static final ProblemType CONFLICT = ProblemType.of("conflict", 409, "Conflict");

    private final UserRepository users;

    @Inject
    public UserV2Resource(UserRepository users) {
        this.users = users;
    }

    @GET
    @Path("{id}")
    @RequiresScopes("users:read")
    public Response get(@PathParam("id") String id) {
        return users.find(id)
                .map(u -> Response.ok(view(u)).build())
                .orElseThrow(() -> new ProblemException(Problem.of(ProblemType.NOT_FOUND, "No user with id " + safe(id) + ".")));
    }

    @GET
    @RequiresScopes("users:read")
    public Response search(@QueryParam("search") String search, @QueryParam("limit") Integer limit) {
        if (search != null && search.length() > 100) {
            throw invalid("search: at most 100 characters.");
        }
        int n = limit == null ? 20 : limit;
        if (n < 1 || n > 100) {
            throw invalid("limit: expected 1..100.");
        }
        List<Map<String, Object>> found = users.search(search, n).stream().map(UserV2Resource::view).toList();
        return Response.ok(Map.of("users", found, "count", found.size())).build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScopes("users:write")
    public Response create(Map<String, Object> body, @Context UriInfo uri) {
        if (body == null) {
            throw invalid("A JSON object with givenName, familyName and email is required.");
        }
        if (body.containsKey("name")) {
            throw invalid("name: not in version 2; send givenName and familyName.");
        }
        String given = text(body.get("givenName"));
        String family = text(body.get("familyName"));
        String email = text(body.get("email"));
        String phone = text(body.get("phone"));
        String city = text(body.get("city"));
        if (given == null || given.isBlank() || given.length() > 100) {
            throw invalid("givenName: required, at most 100 characters.");
        }
        if (family != null && family.length() > 100) {
            throw invalid("familyName: at most 100 characters.");
        }
        if (email == null || !EMAIL.matcher(email).matches()) {
            throw invalid("email: a valid e-mail address is required.");
        }
        if (phone != null && !PHONE.matcher(phone).matches()) {
            throw invalid("phone: digits, spaces, parentheses and hyphens, optionally a leading +.");
        }
        if (city != null && city.length() > 100) {
            throw invalid("city: at most 100 characters.");
        }
        String name = new PersonName(given.strip(), family == null || family.isBlank() ? null : family.strip()).displayName();
        User u = users.create(name, email.strip(), phone, city == null ? "" : city.strip());
        if (u == null) {
            throw new ProblemException(Problem.of(CONFLICT, "A user with this e-mail address exists."));
        }
        return Response.created(uri.getAbsolutePathBuilder().path(u.id()).build()).entity(view(u)).build();
    }

    /** A user as version 2 shows it. */
    static Map<String, Object> view(User u) {
        PersonName name = PersonName.of(u.name());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("givenName", name.givenName());
        m.put("familyName", name.familyName());
        m.put("email", u.email());
        m.put("phone", u.phone());
        m.put("city", u.city());
        m.put("createdAt", u.createdAt().toString());
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
