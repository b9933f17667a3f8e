package io.aegis.gateway.jaxrs;

import io.aegis.gateway.policy.AuthScheme;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The credentials a resource or method accepts, in the order they are tried (default: JWT
 * bearer tokens only). A method-level annotation replaces the class-level one.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface AuthSchemes {
    AuthScheme[] value();
}
