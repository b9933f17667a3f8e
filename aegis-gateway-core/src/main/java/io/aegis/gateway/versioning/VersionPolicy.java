package io.aegis.gateway.versioning;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.GatewayRequest;
import io.aegis.gateway.pipeline.Problem;
import io.aegis.gateway.pipeline.ProblemType;
import io.aegis.gateway.pipeline.ResponseHeaders;
import io.aegis.gateway.pipeline.Stage;
import io.aegis.gateway.policy.RouteMatch;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.versioning.internal.HttpDates;
import io.aegis.gateway.versioning.internal.MediaTypes;
import io.aegis.gateway.versioning.internal.VersionPath;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Resolves the API version of every request under the versioned path prefix and applies its
 * lifecycle, before routing ({@link Stage#VERSION}).
 *
 * <ol>
 *   <li><b>Resolution.</b> The version comes from the first of the configured
 *       {@linkplain VersioningSettings#sources() sources} that names one: the path segment after
 *       the prefix ({@code /api/v2/users}), the header ({@code Api-Version: v2} or {@code 2}), or
 *       the {@code version} parameter of the versioned media type in {@code Accept} or
 *       {@code Content-Type} ({@code application/vnd.aegis+json; version=2}); else the default
 *       version. An unknown or malformed version is answered 404 {@code version-not-found} listing
 *       the supported versions; two different versions in the header, 400 {@code bad-request}.</li>
 *   <li><b>Sunset.</b> A sunset version is answered 410 {@code version-sunset} naming the
 *       successor and the migration guide.</li>
 *   <li><b>Routing.</b> The request is routed to the resolved version's route: a request whose
 *       path names no version, or another version than the resolved one, is rewritten to the
 *       resolved version's path ({@code /api/users/1} with {@code Api-Version: 1} →
 *       {@code /api/v1/users/1}). When that version has no such route, the nearest older version
 *       that has it serves the request if that route allows fallback
 *       ({@link io.aegis.gateway.policy.RoutePolicy#versionFallback()}); the response then says so
 *       in {@value VersioningSettings#FALLBACK_HEADER}. Rewrites are
 *       {@linkplain Exchange#rewritePath(String, String) asked of the adapter}, which dispatches
 *       accordingly.</li>
 *   <li><b>Headers.</b> The response names the version ({@code Api-Version: v1}); a deprecated
 *       version's responses carry {@code Deprecation} (RFC 9745, {@code @<epoch seconds>}),
 *       {@code Sunset} (RFC 8594, IMF-fixdate) and {@code Link} with {@code rel="deprecation"}
 *       (the migration guide) and {@code rel="successor-version"} (the same resource in the
 *       successor, as a reference relative to the request).</li>
 * </ol>
 *
 * <p>Paths outside the prefix are not versioned and pass untouched, as do requests under it that
 * no versioned route serves (version-neutral routes). On completion, each call is counted per
 * version, route and client, and deprecated use close to the sunset is reported
 * ({@link VersionManager}). The resolved version is left in the exchange as
 * {@link ResolvedVersion#ATTRIBUTE}.
 *
 * <p>Immutable and thread-safe; made by {@link VersionManager#policies}.
 */
public final class VersionPolicy implements GatewayPolicy {

    private static final int MAX_SHOWN = 32;

    private final VersioningSettings settings;
    private final RouteTable routes;
    private final VersionManager manager;
    private final Clock clock;
    private final Instant appliedAt;
    private final String prefix;
    private final String vary;
    private final Map<String, String[]> lifecycle = new HashMap<>();

    /**
     * @param settings the catalogue and resolution settings (validated)
     * @param routes the service's routes, to find which version serves a path
     * @param manager where calls are counted
     */
    public VersionPolicy(VersioningSettings settings, RouteTable routes, VersionManager manager) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.routes = Objects.requireNonNull(routes, "routes");
        this.manager = Objects.requireNonNull(manager, "manager");
        this.clock = manager.clock();
        this.appliedAt = clock.instant();
        String p = settings.pathPrefix();
        this.prefix = p.length() > 1 ? p.substring(0, p.length() - 1) : p;
        List<String> v = new ArrayList<>();
        if (settings.sources().contains(VersionSource.HEADER)) {
            v.add(settings.header());
        }
        if (settings.sources().contains(VersionSource.MEDIA_TYPE)) {
            v.add("Accept");
        }
        this.vary = v.isEmpty() ? null : String.join(", ", v);
        // The header values that do not depend on the request, formatted once.
        for (ApiVersion version : settings.versions()) {
            lifecycle.put(version.id(), new String[] {
                version.deprecation() == null ? null : HttpDates.sfDate(version.deprecation()),
                version.sunset() == null ? null : HttpDates.imfFixdate(version.sunset()),
                version.migrationGuide() == null ? null : "<" + version.migrationGuide().toASCIIString() + ">; rel=\"deprecation\""
            });
        }
    }

    @Override
    public Stage stage() {
        return Stage.VERSION;
    }

    public VersioningSettings settings() {
        return settings;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        GatewayRequest req = exchange.request();
        String path = req.path();
        if (!path.startsWith(prefix)) {
            return Decision.proceed();
        }
        VersionPath vp = VersionPath.parse(path, settings.prefixSegments());
        if (vp == null) {
            return Decision.proceed();
        }
        Instant now = clock.instant();
        String requested = null;
        VersionSource source = VersionSource.DEFAULT;
        for (VersionSource s : settings.sources()) {
            String named;
            if (s == VersionSource.PATH) {
                named = vp.version();
            } else if (s == VersionSource.HEADER) {
                List<String> values = headerVersions(req);
                if (values.size() > 1) {
                    return Decision.reject(Problem.of(ProblemType.BAD_REQUEST, "The " + settings.header()
                            + " header names different versions (" + String.join(", ", values) + "); name one."));
                }
                named = values.isEmpty() ? null : values.get(0);
            } else {
                named = mediaTypeVersion(req);
            }
            if (named != null) {
                requested = named;
                source = s;
                break;
            }
        }
        ApiVersion v;
        if (requested == null) {
            v = settings.defaultVersion(now);
            if (v == null) {
                return Decision.proceed();
            }
        } else {
            v = settings.version(source == VersionSource.PATH ? requested : ApiVersion.normalizeId(requested));
            if (v == null) {
                return Decision.reject(notFound(requested, source, now));
            }
        }
        VersionStatus status = v.status(now);
        if (status == VersionStatus.SUNSET) {
            exchange.attribute(ResolvedVersion.ATTRIBUTE, new ResolvedVersion(v, status, source, v.id()));
            Problem.Builder gone = goneProblem(v, null);
            lifecycleHeaders(v, vp, req, now, gone::header);
            return Decision.reject(gone.build());
        }
        String servedBy = route(exchange, vp, v, now);
        if (servedBy == null) {
            return Decision.proceed(); // no versioned route serves this path: version-neutral or not found
        }
        exchange.attribute(ResolvedVersion.ATTRIBUTE, new ResolvedVersion(v, status, source, servedBy));
        ResponseHeaders h = exchange.responseHeaders();
        h.set(settings.header(), v.id());
        if (!servedBy.equals(v.id())) {
            h.set(VersioningSettings.FALLBACK_HEADER, servedBy);
        }
        if (vary != null && (source != VersionSource.PATH || settings.sources().get(0) != VersionSource.PATH)) {
            h.add("Vary", vary);
        }
        if (status == VersionStatus.DEPRECATED) {
            lifecycleHeaders(v, vp, req, now, h::add);
        }
        return Decision.proceed();
    }

    @Override
    public void onComplete(Exchange exchange, int status) {
        ResolvedVersion rv = exchange.attribute(ResolvedVersion.ATTRIBUTE);
        if (rv != null) {
            manager.completed(rv, exchange);
        }
    }

    /**
     * Finds the version whose route serves the request and asks for the rewrite that gets there.
     *
     * @return the serving version's id, or {@code null} when the path names no version and no
     *     versioned route serves it
     */
    private String route(Exchange exchange, VersionPath vp, ApiVersion v, Instant now) {
        GatewayRequest req = exchange.request();
        String method = req.method();
        String target = v.id().equals(vp.version()) ? req.path() : vp.with(v.id());
        RouteMatch direct = routes.match(method, target);
        if (direct != null) {
            if (!target.equals(req.path()) && !rewrite(exchange, vp, target, v.id())) {
                return vp.versioned() ? v.id() : null;
            }
            exchange.route(direct.route()); // what routing would find on the dispatch path: match once
            return v.id();
        }
        for (ApiVersion older : settings.olderThan(v)) {
            if (older.status(now) == VersionStatus.SUNSET) {
                continue;
            }
            String candidate = vp.with(older.id());
            RouteMatch m = routes.match(method, candidate);
            if (m == null) {
                continue;
            }
            // Only the nearest older version that has the route may serve it, and only if it allows so.
            if (m.route().versionFallback() && rewrite(exchange, vp, candidate, older.id())) {
                exchange.route(m.route());
                return older.id();
            }
            break;
        }
        return vp.versioned() ? v.id() : null;
    }

    private static boolean rewrite(Exchange exchange, VersionPath vp, String path, String id) {
        String raw = vp.rawWith(exchange.request().rawPath(), id);
        if (raw == null) {
            return false; // the raw path does not line up with the decoded one: leave it alone
        }
        exchange.rewritePath(path, raw);
        return true;
    }

    private void lifecycleHeaders(ApiVersion v, VersionPath vp, GatewayRequest req, Instant now,
                                  BiConsumer<String, String> add) {
        String[] fixed = lifecycle.get(v.id());
        if (fixed[0] != null) {
            add.accept("Deprecation", fixed[0]);
        } else if (v.status(now) != VersionStatus.ACTIVE) {
            // forced without a date: deprecated since the setting was applied
            add.accept("Deprecation", HttpDates.sfDate(appliedAt.isBefore(now) ? appliedAt : now));
        }
        if (fixed[1] != null) {
            add.accept("Sunset", fixed[1]);
        }
        if (fixed[2] != null) {
            add.accept("Link", fixed[2]);
        }
        String successor = successorReference(v, vp, req);
        if (successor != null) {
            add.accept("Link", "<" + successor + ">; rel=\"successor-version\"");
        }
    }

    /** The same resource in the successor version, relative to the request, if the successor serves it. */
    private String successorReference(ApiVersion v, VersionPath vp, GatewayRequest req) {
        if (v.successor() == null || routes.match(req.method(), vp.with(v.successor())) == null) {
            return null;
        }
        return vp.relativeReference(req.rawPath(), v.successor());
    }

    /** The 410 {@code version-sunset} problem, for a sunset version or (with {@code brownoutUntil}) a brownout. */
    static Problem.Builder goneProblem(ApiVersion v, Instant brownoutUntil) {
        StringBuilder detail = new StringBuilder("API version ").append(v.id());
        if (brownoutUntil != null) {
            detail.append(" is being switched off");
            if (v.sunset() != null) {
                detail.append(" (sunset on ").append(HttpDates.imfFixdate(v.sunset())).append(')');
            }
            detail.append(": during this brownout its calls are refused until ")
                    .append(HttpDates.imfFixdate(brownoutUntil)).append('.');
        } else if (v.sunset() != null && v.forcedStatus() == null) {
            detail.append(" was sunset on ").append(HttpDates.imfFixdate(v.sunset())).append(" and is no longer served.");
        } else {
            detail.append(" has been withdrawn and is no longer served.");
        }
        if (v.successor() != null) {
            detail.append(" Use ").append(v.successor()).append(v.migrationGuide() == null ? "." : "; migration guide: "
                    + v.migrationGuide().toASCIIString());
        } else if (v.migrationGuide() != null) {
            detail.append(" Migration guide: ").append(v.migrationGuide().toASCIIString());
        }
        Problem.Builder p = Problem.builder(VersionProblems.VERSION_SUNSET).detail(detail.toString())
                .with("version", v.id());
        if (v.sunset() != null) {
            p.with("sunset", v.sunset().toString());
        }
        if (v.successor() != null) {
            p.with("successor", v.successor());
        }
        if (v.migrationGuide() != null) {
            p.with("migration_guide", v.migrationGuide().toASCIIString());
        }
        if (brownoutUntil != null) {
            p.with("brownout", true).with("brownout_until", brownoutUntil.toString());
        }
        return p;
    }

    private Problem notFound(String requested, VersionSource source, Instant now) {
        String shown = shown(requested);
        List<String> supported = new ArrayList<>();
        for (ApiVersion v : settings.versions()) {
            if (v.status(now) != VersionStatus.SUNSET) {
                supported.add(v.id());
            }
        }
        ApiVersion d = settings.defaultVersion(now);
        String from = switch (source) {
            case PATH -> "the path";
            case HEADER -> "the " + settings.header() + " header";
            case MEDIA_TYPE -> "the " + settings.mediaType() + " media type";
            case DEFAULT -> "the default";
        };
        Problem.Builder p = Problem.builder(VersionProblems.VERSION_NOT_FOUND)
                .detail("API version '" + shown + "' (from " + from + ") is not supported. Supported versions: "
                        + (supported.isEmpty() ? "none" : String.join(", ", supported)) + ".")
                .with("requested_version", shown)
                .with("supported_versions", supported);
        if (d != null) {
            p.with("default_version", d.id());
        }
        return p.build();
    }

    /** The version ids the header names, distinct after normalization; malformed ones as sent. */
    private List<String> headerVersions(GatewayRequest req) {
        List<String> values = req.headers(settings.header());
        if (values.isEmpty()) {
            return List.of();
        }
        if (values.size() == 1 && values.get(0).indexOf(',') < 0) {
            String t = values.get(0).trim();
            String id = ApiVersion.normalizeId(t);
            return t.isEmpty() ? List.of() : List.of(id != null ? id : t);
        }
        Set<String> out = new LinkedHashSet<>(2);
        for (String value : values) {
            for (String part : value.split(",", 16)) {
                String t = part.trim();
                if (!t.isEmpty()) {
                    String id = ApiVersion.normalizeId(t);
                    out.add(id != null ? id : t);
                }
            }
        }
        return List.copyOf(out);
    }

    private String mediaTypeVersion(GatewayRequest req) {
        for (String name : new String[] {"Accept", "Content-Type"}) {
            for (String value : req.headers(name)) {
                String v = MediaTypes.versionParameter(value, settings.mediaType());
                if (v != null && !v.isBlank()) {
                    return v.trim();
                }
            }
        }
        return null;
    }

    /** A client-sent version made safe to echo: printable ASCII letters, digits, '.', '_', '-', at most 32. */
    private static String shown(String requested) {
        StringBuilder sb = new StringBuilder(Math.min(requested.length(), MAX_SHOWN));
        for (int i = 0; i < requested.length() && sb.length() < MAX_SHOWN; i++) {
            char c = requested.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-';
            sb.append(ok ? c : '?');
        }
        if (requested.length() > MAX_SHOWN) {
            sb.append('…');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "VersionPolicy[" + settings + "]";
    }
}
