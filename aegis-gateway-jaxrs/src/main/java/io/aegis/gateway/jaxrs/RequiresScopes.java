package io.aegis.gateway.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * OAuth scopes the caller's token must grant; all of them by default. A method-level annotation
 * replaces the class-level one. A caller without them is answered 403 {@code insufficient_scope}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresScopes {
    /** The scopes, e.g. {@code "users:read"}. */
    String[] value();

    /** Whether all scopes or any one is required (default: all). */
    Match match() default Match.ALL;
}
