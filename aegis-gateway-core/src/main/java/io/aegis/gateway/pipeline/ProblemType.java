package io.aegis.gateway.pipeline;

import java.net.URI;
import java.util.Objects;

/**
 * A stable RFC 9457 problem type: the {@code type} URI, a short human title and the HTTP status
 * it is normally answered with. Clients may switch on the type URI; it never changes once
 * published. Every type the library emits is listed in {@code docs/problems.md}.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class ProblemType {

    /** The base every Aegis problem type URI starts with. */
    public static final String BASE = "https://aegis.io/problems/";

    /** No credentials were presented on a route that requires them. */
    public static final ProblemType UNAUTHORIZED = of("unauthorized", 401, "Authentication required");
    /** A bearer token was presented but is invalid (signature, claims, format). */
    public static final ProblemType INVALID_TOKEN = of("invalid-token", 401, "Invalid token");
    /** A bearer token was presented but has expired; the client should refresh it. */
    public static final ProblemType TOKEN_EXPIRED = of("token-expired", 401, "Token expired");
    /** The principal lacks a scope the route requires. */
    public static final ProblemType INSUFFICIENT_SCOPE = of("insufficient-scope", 403, "Insufficient scope");
    /** The principal lacks a role the route requires, or the route denies everyone. */
    public static final ProblemType FORBIDDEN = of("forbidden", 403, "Forbidden");
    /** A rate limit was exceeded. */
    public static final ProblemType RATE_LIMITED = of("rate-limited", 429, "Too many requests");
    /** A backend the decision depends on (signing keys, a store) is unavailable. */
    public static final ProblemType DEPENDENCY_UNAVAILABLE =
            of("dependency-unavailable", 503, "Service temporarily unavailable");
    /** The request is malformed in a way the gateway detects before the application. */
    public static final ProblemType BAD_REQUEST = of("bad-request", 400, "Bad request");
    /** The gateway failed in a way that is a bug or a misconfiguration; details are in the log. */
    public static final ProblemType INTERNAL_ERROR = of("internal-error", 500, "Internal server error");
    /** No resource matches the request. */
    public static final ProblemType NOT_FOUND = of("not-found", 404, "Not found");
    /** A daily or monthly quota is used up; {@code Retry-After} says when it resets. */
    public static final ProblemType QUOTA_EXCEEDED = of("quota-exceeded", 429, "Quota exceeded");
    /** The service sheds load: the adaptive concurrency limit is reached for the caller's tier. */
    public static final ProblemType OVERLOADED = of("overloaded", 503, "Service overloaded");
    /** Emergency mode refuses this request (anonymous traffic). */
    public static final ProblemType EMERGENCY_MODE = of("emergency-mode", 503, "Service in emergency mode");
    /** The deadline the caller propagated ({@code Aegis-Deadline-Ms}) had passed when the request arrived. */
    public static final ProblemType DEADLINE_EXCEEDED = of("deadline-exceeded", 504, "Deadline exceeded");
    /** The application firewall blocked the request; the problem carries an {@code incident} id. */
    public static final ProblemType REQUEST_BLOCKED = of("request-blocked", 403, "Request blocked");
    /** The request body is larger than the gateway inspects. */
    public static final ProblemType PAYLOAD_TOO_LARGE = of("payload-too-large", 413, "Payload too large");
    /** The client's address or country is not allowed (IP and geo rules, threat-intelligence feeds). */
    public static final ProblemType ACCESS_DENIED = of("access-denied", 403, "Access denied");
    /** The client is banned for a while after abusive behaviour; {@code Retry-After} says how long. */
    public static final ProblemType CLIENT_BANNED = of("client-banned", 403, "Client temporarily banned");

    private final URI type;
    private final String slug;
    private final int status;
    private final String title;

    private ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.type = URI.create(BASE + slug);
        this.status = status;
        this.title = title;
    }

    /**
     * Defines a problem type under {@link #BASE}. Extensions (later policies, applications) use
     * this for their own types.
     *
     * @param slug lower-case words joined by hyphens, e.g. {@code quota-exceeded}
     * @param status the HTTP status, 400 to 599
     * @param title a short, stable, human-readable summary
     * @throws IllegalArgumentException when the slug or status is out of range
     */
    public static ProblemType of(String slug, int status, String title) {
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(title, "title");
        if (!slug.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            throw new IllegalArgumentException("slug: " + slug + " (expected: lower-case words joined by '-')");
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
        }
        return new ProblemType(slug, status, title);
    }

    /** The type URI, e.g. {@code https://aegis.io/problems/invalid-token}. */
    public URI uri() {
        return type;
    }

    /** The last path segment of the type URI, e.g. {@code invalid-token}. */
    public String slug() {
        return slug;
    }

    /** The HTTP status this problem is answered with by default. */
    public int status() {
        return status;
    }

    /** The short human-readable title. */
    public String title() {
        return title;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProblemType other && other.type.equals(type) && other.status == status;
    }

    @Override
    public int hashCode() {
        return type.hashCode() * 31 + status;
    }

    @Override
    public String toString() {
        return type + " (" + status + ")";
    }
}
