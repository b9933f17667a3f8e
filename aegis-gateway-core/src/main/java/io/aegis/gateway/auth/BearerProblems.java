package io.aegis.gateway.auth;

import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.policy.Requirement;

/**
 * The RFC 6750 answers of a bearer-token resource server, as problems carrying the matching
 * {@code WWW-Authenticate} challenge.
 *
 * <ul>
 *   <li>no token: 401, {@code Bearer realm="…"} without an error (RFC 6750 §3.1);</li>
 *   <li>invalid or expired token: 401, {@code error="invalid_token"} with a description
 *       (expired tokens get their own, so clients know to refresh);</li>
 *   <li>malformed request (two Authorization headers, a token with illegal characters): 400,
 *       {@code error="invalid_request"};</li>
 *   <li>missing scope: 403, {@code error="insufficient_scope", scope="…"}.</li>
 * </ul>
 * Descriptions are fixed texts written for clients; they never echo the token.
 */
public final class BearerProblems {

    /** The header carrying the challenge. */
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    /** The description sent for an expired token. */
    public static final String EXPIRED_DESCRIPTION = "The access token expired";

    private BearerProblems() {
    }

    /** 401: a route needs credentials and none were presented. */
    public static Problem missing(String realm) {
        return Problem.builder(ProblemType.UNAUTHORIZED)
                .detail("This resource requires authentication.")
                .header(WWW_AUTHENTICATE, "Bearer realm=\"" + quote(realm) + "\"")
                .build();
    }

    /** 401 {@code invalid_token} with a description for the client. */
    public static Problem invalidToken(String realm, String description) {
        return Problem.builder(ProblemType.INVALID_TOKEN)
                .detail(description)
                .header(WWW_AUTHENTICATE, "Bearer realm=\"" + quote(realm)
                        + "\", error=\"invalid_token\", error_description=\"" + quote(description) + "\"")
                .build();
    }

    /** 401 {@code invalid_token} saying the token expired, so clients know to refresh. */
    public static Problem expired(String realm) {
        return Problem.builder(ProblemType.TOKEN_EXPIRED)
                .detail(EXPIRED_DESCRIPTION)
                .header(WWW_AUTHENTICATE, "Bearer realm=\"" + quote(realm)
                        + "\", error=\"invalid_token\", error_description=\"" + EXPIRED_DESCRIPTION + "\"")
                .build();
    }

    /** 400 {@code invalid_request}: the Authorization header itself is malformed. */
    public static Problem invalidRequest(String realm, String description) {
        return Problem.builder(ProblemType.BAD_REQUEST)
                .detail(description)
                .header(WWW_AUTHENTICATE, "Bearer realm=\"" + quote(realm)
                        + "\", error=\"invalid_request\", error_description=\"" + quote(description) + "\"")
                .build();
    }

    /** 403 {@code insufficient_scope}, naming the scopes the route requires. */
    public static Problem insufficientScope(String realm, Requirement scopes) {
        String list = scopes.spaceSeparated();
        String detail = scopes.mode() == Requirement.Mode.ANY_OF
                ? "This resource requires one of the scopes: " + list
                : "This resource requires the scopes: " + list;
        return Problem.builder(ProblemType.INSUFFICIENT_SCOPE)
                .detail(detail)
                .with("required_scopes", scopes.values().stream().sorted().toList())
                .header(WWW_AUTHENTICATE, "Bearer realm=\"" + quote(realm)
                        + "\", error=\"insufficient_scope\", scope=\"" + quote(list) + "\"")
                .build();
    }

    /**
     * Keeps only the characters RFC 6750 allows in a challenge attribute value
     * ({@code %x20-21 / %x23-5B / %x5D-7E}): no quote, no backslash, no control or non-ASCII.
     */
    static String quote(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c <= 0x7E && c != '"' && c != '\\') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
