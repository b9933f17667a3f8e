package io.aegis.gateway.jaxrs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.apikey.ApiKey;
import io.aegis.gateway.apikey.ApiKeyAuditRecord;
import io.aegis.gateway.apikey.ApiKeyFilter;
import io.aegis.gateway.apikey.ApiKeyService;
import io.aegis.gateway.apikey.ApiKeyStatus;
import io.aegis.gateway.apikey.ApiKeyUsage;
import io.aegis.gateway.apikey.ApiKeyUsageReport;
import io.aegis.gateway.apikey.ApiKeys;
import io.aegis.gateway.apikey.IssuedApiKey;
import io.aegis.gateway.apikey.NewApiKey;
import io.aegis.gateway.apikey.spi.ApiKeyStoreException;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.AuthScheme;
import io.aegis.gateway.policy.Tier;
import io.aegis.gateway.ratelimit.Limit;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Configuration;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Administration of API keys over HTTP, for callers with the {@value #ADMIN_SCOPE} scope (by JWT or
 * by an API key that has it). Translation only: every decision is the {@link ApiKeyService}'s.
 *
 * <table>
 *   <caption>Endpoints (JSON, snake_case)</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>{@code POST /admin/api-keys} {@code {"owner", "name", "tenant", "tier", "scopes", "expires_in" | "expires_at"}}</td>
 *       <td>201, the key and its {@code secret} (shown once)</td></tr>
 *   <tr><td>{@code GET /admin/api-keys?owner=&tenant=&status=&limit=}</td><td>200, {@code {"keys": [...]}}</td></tr>
 *   <tr><td>{@code GET /admin/api-keys/{id}}</td><td>200, the key</td></tr>
 *   <tr><td>{@code POST /admin/api-keys/{id}/rotate} {@code {"grace": "24h"}} (optional)</td><td>201, the successor and its secret</td></tr>
 *   <tr><td>{@code POST /admin/api-keys/{id}/revoke}</td><td>200, the revoked key</td></tr>
 *   <tr><td>{@code GET /admin/api-keys/{id}/usage?from=&to=} (ISO instants; default the last 24 h)</td><td>200, totals and hourly rows</td></tr>
 *   <tr><td>{@code GET /admin/api-keys/{id}/audit?limit=}</td><td>200, the audit trail, newest first</td></tr>
 * </table>
 * Errors are RFC 9457 problems: 400 invalid input, 404 unknown key (or API keys off), 409 a key
 * in the wrong state, 503 the store is down. Register it beside the {@link AegisFeature} (as a
 * class, it uses the feature's gateway).
 */
@Path("/admin/api-keys")
@RequiresScopes(ApiKeyAdminResource.ADMIN_SCOPE)
@AuthSchemes({AuthScheme.JWT, AuthScheme.API_KEY})
@Produces(MediaType.APPLICATION_JSON)
public final class ApiKeyAdminResource {

    /** The scope the endpoints require. */
    public static final String ADMIN_SCOPE = "aegis:admin";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ProblemType CONFLICT = ProblemType.of("conflict", 409, "Conflict");

    private final AegisGateway fixed;

    @Context
    private Configuration configuration;

    @Context
    private SecurityContext security;

    /** For registration as a class: the gateway is the one of the {@link AegisFeature} registered beside it. */
    public ApiKeyAdminResource() {
        this.fixed = null;
    }

    /** For registration as an instance. */
    public ApiKeyAdminResource(AegisGateway gateway) {
        this.fixed = Objects.requireNonNull(gateway, "gateway");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        JsonNode in = parse(body);
        return call(() -> {
            NewApiKey.Builder b = NewApiKey.builder(text(in, "owner", true));
            b.name(text(in, "name", false));
            b.tenant(text(in, "tenant", false));
            String tier = text(in, "tier", false);
            if (tier != null) {
                b.tier(Tier.parse(tier));
            }
            JsonNode scopes = in.get("scopes");
            if (scopes != null && scopes.isArray()) {
                scopes.forEach(s -> b.scopes(s.asText()));
            } else if (scopes != null && scopes.isTextual() && !scopes.asText().isBlank()) {
                b.scopes(Arrays.asList(scopes.asText().trim().split("[ ,]+")));
            }
            String expiresIn = text(in, "expires_in", false);
            if (expiresIn != null) {
                b.lifetime(duration(expiresIn));
            } else if (in.hasNonNull("expires_in") && in.get("expires_in").isNumber()) {
                b.lifetime(Duration.ofSeconds(in.get("expires_in").asLong()));
            }
            String expiresAt = text(in, "expires_at", false);
            if (expiresAt != null) {
                b.expiresAt(Instant.parse(expiresAt));
            }
            IssuedApiKey issued = service().create(b.build(), actor());
            return Response.created(URI.create("/admin/api-keys/" + issued.key().id())).entity(issued(issued).toString()).build();
        });
    }

    @GET
    public Response list(@QueryParam("owner") String owner, @QueryParam("tenant") String tenant,
                         @QueryParam("status") String status, @QueryParam("limit") Integer limit) {
        return call(() -> {
            ApiKeyStatus st = status == null ? null : ApiKeyStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            List<ApiKey> keys = service().list(new ApiKeyFilter(owner, tenant, st, limit == null ? 100 : limit));
            ObjectNode out = JSON.createObjectNode();
            ArrayNode arr = out.putArray("keys");
            keys.forEach(k -> arr.add(view(k)));
            return Response.ok(out.toString()).build();
        });
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") String id) {
        return call(() -> Response.ok(view(service().get(id).orElseThrow(() -> new NoSuchElementException("no API key " + id)))
                .toString()).build());
    }

    @POST
    @Path("{id}/rotate")
    public Response rotate(@PathParam("id") String id, String body) {
        JsonNode in = body == null || body.isBlank() ? JSON.createObjectNode() : parse(body);
        return call(() -> {
            String grace = text(in, "grace", false);
            Duration g = grace == null ? null : duration(grace);
            IssuedApiKey issued = service().rotate(id, g, actor());
            return Response.created(URI.create("/admin/api-keys/" + issued.key().id())).entity(issued(issued).toString()).build();
        });
    }

    @POST
    @Path("{id}/revoke")
    public Response revoke(@PathParam("id") String id) {
        return call(() -> Response.ok(view(service().revoke(id, actor())).toString()).build());
    }

    @GET
    @Path("{id}/usage")
    public Response usage(@PathParam("id") String id, @QueryParam("from") String from, @QueryParam("to") String to) {
        return call(() -> {
            Instant end = to == null ? Instant.now() : Instant.parse(to);
            Instant start = from == null ? end.minus(Duration.ofHours(24)) : Instant.parse(from);
            ApiKeyUsageReport r = service().usage(id, start, end);
            ObjectNode out = JSON.createObjectNode();
            out.put("key_id", r.keyId());
            out.put("from", r.from().toString());
            out.put("to", r.to().toString());
            out.put("requests", r.requests());
            out.put("errors", r.errors());
            out.put("last_used_at", r.lastUsedAt() == null ? null : r.lastUsedAt().toString());
            ArrayNode rows = out.putArray("rows");
            for (ApiKeyUsage u : r.rows()) {
                ObjectNode row = rows.addObject();
                row.put("period_start", u.periodStart().toString());
                row.put("route", u.route());
                row.put("version", u.version());
                row.put("requests", u.requests());
                row.put("errors", u.errors());
                row.put("last_used_at", u.lastUsedAt().toString());
            }
            return Response.ok(out.toString()).build();
        });
    }

    @GET
    @Path("{id}/audit")
    public Response audit(@PathParam("id") String id, @QueryParam("limit") Integer limit) {
        return call(() -> {
            service().get(id).orElseThrow(() -> new NoSuchElementException("no API key " + id));
            ObjectNode out = JSON.createObjectNode();
            ArrayNode arr = out.putArray("entries");
            for (ApiKeyAuditRecord a : service().audit(id, limit == null ? 100 : Math.max(1, Math.min(limit, 1000)))) {
                ObjectNode e = arr.addObject();
                e.put("action", a.action());
                e.put("actor", a.actor());
                e.put("at", a.at().toString());
                e.put("detail", a.detail());
            }
            return Response.ok(out.toString()).build();
        });
    }

    private ApiKeyService service() {
        AegisGateway g = fixed;
        if (g == null) {
            Object o = configuration == null ? null : configuration.getProperty(AegisFeature.GATEWAY_PROPERTY);
            if (!(o instanceof AegisGateway gw)) {
                throw new IllegalStateException("no AegisFeature is registered in this application");
            }
            g = gw;
        }
        ApiKeys keys = g.apiKeys();
        if (keys == null) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND,
                    "API keys are not enabled on this service (aegis.apikeys.enabled)."));
        }
        return keys.service();
    }

    private String actor() {
        return security == null || security.getUserPrincipal() == null ? "unknown" : security.getUserPrincipal().getName();
    }

    private static Response call(Supplier<Response> action) {
        try {
            return action.get();
        } catch (NoSuchElementException e) {
            throw new ProblemException(Problem.of(ProblemType.NOT_FOUND, e.getMessage() + "."));
        } catch (IllegalStateException e) {
            throw new ProblemException(Problem.of(CONFLICT, e.getMessage() + "."));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new ProblemException(Problem.of(ProblemType.BAD_REQUEST, e.getMessage()));
        } catch (ApiKeyStoreException e) {
            throw new ProblemException(Problem.builder(ProblemType.DEPENDENCY_UNAVAILABLE)
                    .detail("The API-key store is unavailable; retry shortly.").header("Retry-After", "5").build());
        }
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode n = JSON.readTree(body == null ? "" : body);
            if (n == null || !n.isObject()) {
                throw new ProblemException(Problem.of(ProblemType.BAD_REQUEST, "The body must be a JSON object."));
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of(ProblemType.BAD_REQUEST, "The body is not valid JSON."));
        }
    }

    private static String text(JsonNode in, String field, boolean required) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(field + ": missing (expected: a string)");
            }
            return null;
        }
        if (!v.isTextual()) {
            if (v.isNumber() && !required) {
                return null; // numbers are read by the caller where they are allowed
            }
            throw new IllegalArgumentException(field + ": " + v + " (expected: a string)");
        }
        return v.asText();
    }

    private static Duration duration(String text) {
        return Limit.parseDuration(text.trim());
    }

    private static ObjectNode issued(IssuedApiKey issued) {
        ObjectNode out = view(issued.key());
        out.put("secret", issued.secret());
        return out;
    }

    static ObjectNode view(ApiKey k) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", k.id());
        o.put("environment", k.environment().id());
        o.put("name", k.name());
        o.put("owner", k.owner());
        o.put("tenant", k.tenant());
        o.put("tier", k.tier().id());
        ArrayNode scopes = o.putArray("scopes");
        k.scopes().stream().sorted().forEach(scopes::add);
        o.put("hint", k.hint());
        o.put("status", k.status().name().toLowerCase(Locale.ROOT));
        o.put("created_at", k.createdAt().toString());
        o.put("expires_at", k.expiresAt() == null ? null : k.expiresAt().toString());
        o.put("grace_until", k.graceUntil() == null ? null : k.graceUntil().toString());
        o.put("replaced_by", k.replacedBy());
        o.put("revoked_at", k.revokedAt() == null ? null : k.revokedAt().toString());
        o.put("last_used_at", k.lastUsedAt() == null ? null : k.lastUsedAt().toString());
        return o;
    }
}
