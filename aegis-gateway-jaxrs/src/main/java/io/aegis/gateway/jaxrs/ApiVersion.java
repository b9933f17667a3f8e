package io.aegis.gateway.jaxrs;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The API version a resource class or method belongs to, e.g. {@code @ApiVersion("v2")}; a
 * method-level annotation replaces the class-level one. Sugar for
 * {@link io.aegis.gateway.policy.RoutePolicy#version()} and, with its lifecycle attributes, for an
 * {@link io.aegis.gateway.versioning.ApiVersion} of the catalogue; holds no logic.
 *
 * <p>Without lifecycle attributes the version is looked up in the catalogue (configuration
 * {@code aegis.versions.<id>.*}); an id found nowhere fails at start. With them, the annotation
 * declares the version: every annotation naming the same id must agree, and the configuration
 * overrides any attribute (for emergencies: {@code AEGIS_VERSIONS_V1_SUNSET=2026-01-01}). Dates
 * are ISO-8601 dates ({@code 2026-12-31}, start of day UTC) or date-times with offset.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ApiVersion {

    /** The version id: {@code v1}, {@code v2}, ... */
    String value();

    /** The release date; empty: not declared here. */
    String release() default "";

    /** The deprecation date; empty: not declared here. */
    String deprecation() default "";

    /** The sunset date; empty: not declared here. */
    String sunset() default "";

    /** The successor version's id; empty: not declared here. */
    String successor() default "";

    /** The migration guide (an http(s) URL or a path starting with {@code /}); empty: not declared here. */
    String migrationGuide() default "";

    /** Declares this version the default of requests that name none (at most one version may be). */
    boolean defaultVersion() default false;

    /**
     * The annotated routes also serve newer versions that lack them: a request for {@code v3} of a
     * path only {@code v2} has is answered by {@code v2}, with an {@code Api-Version-Fallback}
     * header. Default {@code false}.
     */
    boolean fallback() default false;
}
