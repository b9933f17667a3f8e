package io.aegis.examples.support;

import io.aegis.gateway.jaxrs.ProblemException;
import io.aegis.gateway.jaxrs.PublicEndpoint;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.Tier;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /dev/token?scope=users:read users:write&tier=premium&sub=alice} answers a signed
 * access token, so a newcomer can call the API within a minute. Registered only in the
 * {@code dev} profile when no identity provider is configured.
 */
@Path("/dev/token")
@PublicEndpoint
@Produces(MediaType.APPLICATION_JSON)
public class DevTokenResource {

    private static final ProblemType INVALID = ProblemType.of("validation-failed", 400, "Invalid request");

    private final DevTokenIssuer issuer;

    @Inject
    public DevTokenResource(DevTokenIssuer issuer) {
        this.issuer = issuer;
    }

    @POST
    public Map<String, Object> token(@QueryParam("sub") @DefaultValue("dev-user") String sub,
                                     @QueryParam("scope") String scope,
                                     @QueryParam("tier") @DefaultValue("free") String tier,
                                     @QueryParam("roles") @DefaultValue("") String roles,
                                     @QueryParam("tenant") String tenant,
                                     @QueryParam("ttl") @DefaultValue("3600") long ttlSeconds) {
        if (sub.isBlank() || sub.length() > 64 || ttlSeconds < 1 || ttlSeconds > 86_400) {
            throw new ProblemException(Problem.of(INVALID, "sub: 1..64 characters; ttl: 1..86400 seconds."));
        }
        Tier t;
        try {
            t = Tier.parse(tier);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.of(INVALID, e.getMessage()));
        }
        String asked = scope == null ? issuer.defaultScope() : scope;
        Set<String> scopes = new LinkedHashSet<>(Arrays.asList(asked.trim().split("[ ,]+")));
        scopes.remove("");
        List<String> roleList = roles.isBlank() ? List.of() : Arrays.asList(roles.trim().split("[ ,]+"));
        String token = issuer.issue(sub, scopes, t.id(), roleList, tenant, Duration.ofSeconds(ttlSeconds));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", token);
        out.put("token_type", "Bearer");
        out.put("expires_in", ttlSeconds);
        out.put("scope", String.join(" ", scopes));
        out.put("tier", t.id());
        return out;
    }
}
