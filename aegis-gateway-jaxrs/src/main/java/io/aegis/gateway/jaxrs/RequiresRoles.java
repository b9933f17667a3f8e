package io.aegis.gateway.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Roles the caller must have; any one of them by default (as Jakarta {@code @RolesAllowed}). A
 * method-level annotation replaces the class-level one. A caller without them is answered 403.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresRoles {
    String[] value();

    /** Whether any role or all of them are required (default: any). */
    Match match() default Match.ANY;
}
