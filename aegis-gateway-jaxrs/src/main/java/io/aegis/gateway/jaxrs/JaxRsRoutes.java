package io.aegis.gateway.jaxrs;

import io.aegis.gateway.masking.MaskingPolicy;
import io.aegis.gateway.policy.Access;
import io.aegis.gateway.policy.Requirement;
import io.aegis.gateway.policy.RoutePolicy;
import io.aegis.gateway.ratelimit.LimitSet;
import io.aegis.gateway.ratelimit.RateLimitRule;
import io.aegis.gateway.versioning.VersioningSettings;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads route policies from JAX-RS resource classes: the annotation source of the policy model.
 * The {@link AegisFeature} uses it for every resource method it binds, and the mesh generator
 * uses it to scan compiled classes, so both see exactly the same routes.
 *
 * <p>Rules: a method-level annotation replaces the class-level one of the same kind. Access is
 * {@code DENY_ALL} with {@code @DenyAll}; {@code PUBLIC} with {@code @PublicEndpoint} or
 * {@code @PermitAll}; {@code AUTHENTICATED} with {@code @Authenticated}, {@code @RequiresScopes},
 * {@code @RequiresRoles} or {@code @RolesAllowed}; otherwise the service default. Roles come from
 * {@code @RequiresRoles}, else {@code @RolesAllowed} (any of). {@code @Masked} gives the route's
 * masking.
 */
public final class JaxRsRoutes {

    private JaxRsRoutes() {
    }

    /**
     * The routes of these resource classes (every public method with an HTTP method annotation).
     *
     * @param defaultAccess the access of methods without any security annotation
     * @throws IllegalArgumentException for contradicting annotations, naming the method
     */
    public static List<RoutePolicy> routes(Access defaultAccess, Class<?>... resources) {
        List<RoutePolicy> out = new ArrayList<>();
        for (Class<?> c : resources) {
            Method[] methods = c.getMethods();
            Arrays.sort(methods, (a, b) -> (a.getName() + Arrays.toString(a.getParameterTypes()))
                    .compareTo(b.getName() + Arrays.toString(b.getParameterTypes())));
            for (Method m : methods) {
                if (httpMethod(m) != null && !Modifier.isStatic(m.getModifiers())) {
                    out.add(route(c, m, defaultAccess));
                }
            }
        }
        return out;
    }

    /**
     * The route of one resource method.
     *
     * @throws IllegalArgumentException when the method has no HTTP method annotation or its
     *     annotations contradict each other (public and requiring scopes)
     */
    public static RoutePolicy route(Class<?> resource, Method method, Access defaultAccess) {
        String verb = httpMethod(method);
        if (verb == null) {
            throw new IllegalArgumentException("method " + method + " (expected: a JAX-RS resource method with @GET, @POST, ...)");
        }
        String path = join(resource.getAnnotation(Path.class), method.getAnnotation(Path.class));
        RoutePolicy.Builder b = RoutePolicy.builder(verb, path)
                .id(verb + " " + path)
                .access(access(resource, method, defaultAccess));
        // A method that is itself public or denied does not inherit the class's requirements.
        Access own = accessOf(method);
        Class<?> inherited = own == Access.PUBLIC || own == Access.DENY_ALL ? null : resource;
        RequiresScopes scopes = pick(RequiresScopes.class, inherited, method);
        if (scopes != null) {
            b.scopes(Requirement.of(scopes.match() == Match.ALL ? Requirement.Mode.ALL_OF : Requirement.Mode.ANY_OF,
                    List.of(scopes.value())));
        }
        RequiresRoles roles = pick(RequiresRoles.class, inherited, method);
        if (roles != null) {
            b.roles(Requirement.of(roles.match() == Match.ALL ? Requirement.Mode.ALL_OF : Requirement.Mode.ANY_OF,
                    List.of(roles.value())));
        } else {
            RolesAllowed allowed = pick(RolesAllowed.class, inherited, method);
            if (allowed != null) {
                b.roles(Requirement.of(Requirement.Mode.ANY_OF, List.of(allowed.value())));
            }
        }
        AuthSchemes schemes = pick(AuthSchemes.class, resource, method);
        if (schemes != null) {
            b.authSchemes(List.of(schemes.value()));
        }
        RateLimited limited = pick(RateLimited.class, resource, method);
        if (limited != null) {
            RateLimitRule.Builder r = RateLimitRule.builder(limited.key()).cost(limited.cost());
            if (!limited.group().isEmpty()) {
                r.group(limited.group());
            }
            if (!limited.limits().isEmpty()) {
                try {
                    r.limits(LimitSet.parse(limited.limits()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("@RateLimited on " + method + ": " + e.getMessage(), e);
                }
            }
            b.rateLimit(r.build());
        }
        ApiVersion version = pick(ApiVersion.class, resource, method);
        if (version != null) {
            b.version(version.value()).versionFallback(version.fallback());
        }
        Masked masked = pick(Masked.class, resource, method);
        if (masked != null) {
            try {
                b.masking(MaskingPolicy.builder().fields(List.of(masked.value())).paths(List.of(masked.paths()))
                        .detectors(List.of(masked.detectors()))
                        .exemptScope(masked.exemptScope().isEmpty() ? null : masked.exemptScope()).build());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("@Masked on " + method + ": " + e.getMessage(), e);
            }
        }
        RoutePolicy route = b.build();
        if (route.access() == Access.PUBLIC && (!route.scopes().isEmpty() || !route.roles().isEmpty())) {
            throw new IllegalArgumentException("method " + method
                    + " is public (@PublicEndpoint/@PermitAll) but requires scopes or roles (expected: one or the other)");
        }
        return route;
    }

    /**
     * The API versions these resource classes declare with {@link ApiVersion} lifecycle attributes
     * (on the classes and their resource methods), combined; the default version if one is
     * declared. Versions named without attributes are catalogue lookups and appear only as ids.
     *
     * @throws IllegalArgumentException naming the annotated element when declarations disagree or
     *     an attribute is invalid
     */
    public static VersioningSettings versions(Class<?>... resources) {
        VersioningSettings all = VersioningSettings.none();
        for (Class<?> c : resources) {
            List<AnnotatedElement> elements = new ArrayList<>();
            elements.add(c);
            Method[] methods = c.getMethods();
            Arrays.sort(methods, (a, b) -> a.toString().compareTo(b.toString()));
            for (Method m : methods) {
                if (httpMethod(m) != null) {
                    elements.add(m);
                }
            }
            for (AnnotatedElement e : elements) {
                ApiVersion a = e.getAnnotation(ApiVersion.class);
                if (a == null || !declares(a)) {
                    continue;
                }
                try {
                    all = all.combine(declaration(a));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("@ApiVersion(\"" + a.value() + "\") on " + e + ": " + ex.getMessage(), ex);
                }
            }
        }
        return all;
    }

    private static boolean declares(ApiVersion a) {
        return !a.release().isEmpty() || !a.deprecation().isEmpty() || !a.sunset().isEmpty() || !a.successor().isEmpty()
                || !a.migrationGuide().isEmpty() || a.defaultVersion();
    }

    private static VersioningSettings declaration(ApiVersion a) {
        io.aegis.gateway.versioning.ApiVersion.Builder v = io.aegis.gateway.versioning.ApiVersion.builder(a.value());
        if (!a.release().isEmpty()) {
            v.release(io.aegis.gateway.versioning.ApiVersion.parseInstant(a.release()));
        }
        if (!a.deprecation().isEmpty()) {
            v.deprecation(io.aegis.gateway.versioning.ApiVersion.parseInstant(a.deprecation()));
        }
        if (!a.sunset().isEmpty()) {
            v.sunset(io.aegis.gateway.versioning.ApiVersion.parseInstant(a.sunset()));
        }
        if (!a.successor().isEmpty()) {
            v.successor(a.successor());
        }
        if (!a.migrationGuide().isEmpty()) {
            v.migrationGuide(a.migrationGuide());
        }
        VersioningSettings.Builder b = VersioningSettings.builder().version(v.build());
        if (a.defaultVersion()) {
            b.defaultVersion(a.value());
        }
        return b.build();
    }

    private static Access access(Class<?> resource, Method method, Access defaultAccess) {
        Access m = accessOf(method);
        if (m != null) {
            return m;
        }
        Access c = accessOf(resource);
        return c != null ? c : defaultAccess;
    }

    /** The access one element's own annotations ask for, or {@code null}. */
    private static Access accessOf(AnnotatedElement e) {
        if (e.isAnnotationPresent(DenyAll.class)) {
            return Access.DENY_ALL;
        }
        if (e.isAnnotationPresent(PublicEndpoint.class) || e.isAnnotationPresent(PermitAll.class)) {
            return Access.PUBLIC;
        }
        if (e.isAnnotationPresent(Authenticated.class) || e.isAnnotationPresent(RequiresScopes.class)
                || e.isAnnotationPresent(RequiresRoles.class) || e.isAnnotationPresent(RolesAllowed.class)) {
            return Access.AUTHENTICATED;
        }
        return null;
    }

    private static <A extends Annotation> A pick(Class<A> type, Class<?> resource, Method method) {
        A a = method.getAnnotation(type);
        return a != null || resource == null ? a : resource.getAnnotation(type);
    }

    /** The HTTP method of a resource method (an annotation meta-annotated with {@code @HttpMethod}). */
    static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            HttpMethod hm = a.annotationType().getAnnotation(HttpMethod.class);
            if (hm != null) {
                return hm.value();
            }
        }
        return null;
    }

    static String join(Path classPath, Path methodPath) {
        StringBuilder sb = new StringBuilder();
        for (Path p : new Path[] {classPath, methodPath}) {
            if (p == null) {
                continue;
            }
            String v = p.value().trim();
            while (v.startsWith("/")) {
                v = v.substring(1);
            }
            while (v.endsWith("/")) {
                v = v.substring(0, v.length() - 1);
            }
            if (!v.isEmpty()) {
                sb.append('/').append(v);
            }
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }
}
