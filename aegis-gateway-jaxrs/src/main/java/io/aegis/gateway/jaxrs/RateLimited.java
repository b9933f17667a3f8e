package io.aegis.gateway.jaxrs;

import io.aegis.gateway.ratelimit.RateLimitKey;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Rate-limits a resource or method. Without {@link #limits()} the caller's tier limits apply
 * ({@code aegis.ratelimit.tiers.<tier>.limits}); with it, these limits apply to every tier.
 * A method-level annotation replaces the class-level one. Sugar for a
 * {@link io.aegis.gateway.ratelimit.RateLimitRule}; holds no logic.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RateLimited {
    /** What to count by (default: the authenticated user, anonymous callers by address). */
    RateLimitKey key() default RateLimitKey.USER;

    /** Limits replacing the tier limits, e.g. {@code "10/1s,1000/1h"}; empty: the tier limits. */
    String limits() default "";

    /** The bucket group shared with other routes of the same group; empty: this route alone. */
    String group() default "";

    /** Tokens one call takes. */
    int cost() default 1;
}
