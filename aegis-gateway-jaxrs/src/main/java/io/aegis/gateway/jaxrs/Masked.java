package io.aegis.gateway.jaxrs;

import io.aegis.gateway.masking.Detector;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Masks personal data in the JSON responses of a resource or method for callers without the
 * exempt scope ({@code pii:read} unless configured otherwise):
 *
 * <pre>{@code
 * @GET @Path("{id}") @RequiresScopes("users:read") @Masked({"email", "phone"})
 * public User get(@PathParam("id") String id) { ... }
 * }</pre>
 *
 * <p>A method-level annotation replaces the class-level one. Sugar for a
 * {@link io.aegis.gateway.masking.MaskingPolicy} on the method's route; holds no logic. The
 * service-wide rules ({@code aegis.masking.*}) apply as well.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Masked {
    /** JSON member names masked at any depth (case-insensitive), e.g. {@code email}. */
    String[] value() default {};

    /** JSON paths masked, e.g. {@code $.users[*].email}, {@code $..ssn}. */
    String[] paths() default {};

    /** Detectors run on every other string value of the response. */
    Detector[] detectors() default {};

    /** The scope that exempts a caller; empty: the service setting ({@code pii:read} by default). */
    String exemptScope() default "";
}
