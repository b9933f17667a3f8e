package io.aegis.gateway.jaxrs;

import io.aegis.gateway.waf.AttackType;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Excludes fields of this resource method (or of every method of the class) from WAF detection,
 * for fields that legitimately carry HTML or code. Sugar for
 * {@code aegis.waf.exclusions.<id>.route=<this route>}: the route gets the properties
 * {@code waf.exclude.fields} and {@code waf.exclude.attacks}, which the WAF reads pre-routing.
 *
 * <pre>{@code
 * @POST @Path("/posts") @WafExclude(fields = "content", attacks = AttackType.XSS)
 * public Response create(Post post) { ... }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface WafExclude {

    /** Field names (any source) or {@code source:name}; empty: every field of the route. */
    String[] fields() default {};

    /** Attack types not looked for there; empty: every type. */
    AttackType[] attacks() default {};
}
