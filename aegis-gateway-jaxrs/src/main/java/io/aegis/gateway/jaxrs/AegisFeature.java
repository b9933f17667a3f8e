package io.aegis.gateway.jaxrs;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.jaxrs.internal.MaskingInterceptor;
import io.aegis.gateway.jaxrs.internal.PreMatchingFilter;
import io.aegis.gateway.jaxrs.internal.ProblemExceptionMapper;
import io.aegis.gateway.jaxrs.internal.ResponseFilter;
import io.aegis.gateway.jaxrs.internal.RouteFilter;
import io.aegis.gateway.policy.RoutePolicy;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Feature;
import jakarta.ws.rs.core.FeatureContext;
import java.lang.reflect.Method;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Protects a JAX-RS application with an {@link AegisGateway}. Register one instance:
 *
 * <pre>{@code
 * AegisGateway gateway = AegisGateway.fromConfig();
 * ResourceConfig app = new ResourceConfig(UserResource.class)
 *         .register(new AegisFeature(gateway))
 *         .register(AegisHealthResource.class);
 * }</pre>
 *
 * <p>It registers a pre-matching filter (the stages that run for every request), binds every
 * resource method to a filter carrying the method's route policy read by {@link JaxRsRoutes}
 * (annotations are sugar: the filter holds no logic, the pipeline decides), and a response filter
 * that adds the policies' headers, a writer interceptor that masks JSON responses of routes with
 * masking rules ({@code @Masked}, configuration) for callers without the exempt scope, and an exception mapper that answers what the application
 * throws as RFC 9457 problems (500s with an incident id and no internal detail). The bound routes are added to the gateway's policy, so the
 * generated mesh configuration and docs see them. Methods without any security annotation get
 * the service default ({@code aegis.auth.default-access}, authenticated unless configured).
 *
 * <p>The client address is read from the servlet request: deploy in a servlet container (Jetty,
 * Tomcat, any Jakarta EE 10/11 server).
 */
public final class AegisFeature implements Feature, DynamicFeature {

    /** The configuration property under which the feature publishes its gateway. */
    public static final String GATEWAY_PROPERTY = AegisGateway.class.getName();

    private final AegisGateway gateway;

    public AegisFeature(AegisGateway gateway) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
    }

    public AegisGateway gateway() {
        return gateway;
    }

    @Override
    public boolean configure(FeatureContext context) {
        // Versions declared by @ApiVersion attributes join the catalogue before any route does, so
        // a route's version and a version's successor are known whatever order resources bind in.
        Set<Class<?>> resources = new LinkedHashSet<>();
        for (Class<?> c : context.getConfiguration().getClasses()) {
            resources.add(c);
        }
        for (Object o : context.getConfiguration().getInstances()) {
            resources.add(o.getClass());
        }
        resources.removeIf(c -> !c.isAnnotationPresent(Path.class));
        gateway.addVersions(JaxRsRoutes.versions(resources.toArray(new Class<?>[0])));
        context.property(GATEWAY_PROPERTY, gateway);
        context.register(new PreMatchingFilter(gateway));
        context.register(new ResponseFilter(gateway));
        context.register(new MaskingInterceptor(gateway));
        context.register(new ProblemExceptionMapper());
        return true;
    }

    @Override
    public void configure(ResourceInfo resourceInfo, FeatureContext context) {
        Class<?> resource = resourceInfo.getResourceClass();
        Method method = resourceInfo.getResourceMethod();
        if (resource == null || method == null || JaxRsRoutes.httpMethod(method) == null) {
            return;
        }
        RoutePolicy route = JaxRsRoutes.route(resource, method, gateway.policy().fallbackRoute().access());
        gateway.addVersions(JaxRsRoutes.versions(resource));
        route = wafExclusion(route, method.isAnnotationPresent(WafExclude.class) ? method.getAnnotation(WafExclude.class)
                : resource.getAnnotation(WafExclude.class));
        gateway.addRoutes(List.of(route));
        context.register(new RouteFilter(gateway, route), Priorities.AUTHENTICATION);
    }

    /** {@link WafExclude} as route properties (annotations are sugar: the WAF reads the properties). */
    private static RoutePolicy wafExclusion(RoutePolicy route, WafExclude exclude) {
        if (exclude == null) {
            return route;
        }
        List<String> attacks = java.util.Arrays.stream(exclude.attacks()).map(io.aegis.gateway.waf.AttackType::id).toList();
        return route.toBuilder()
                .property(io.aegis.gateway.waf.WafExclusion.ROUTE_FIELDS, String.join(",", exclude.fields()))
                .property(io.aegis.gateway.waf.WafExclusion.ROUTE_ATTACKS, String.join(",", attacks))
                .build();
    }
}
