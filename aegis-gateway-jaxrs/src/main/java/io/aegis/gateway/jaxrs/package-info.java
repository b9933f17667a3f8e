/**
 * The JAX-RS adapter: annotations ({@link io.aegis.gateway.jaxrs.RequiresScopes},
 * {@link io.aegis.gateway.jaxrs.RateLimited}, ...; Jakarta {@code @RolesAllowed},
 * {@code @PermitAll}, {@code @DenyAll} are honoured too), the {@link io.aegis.gateway.jaxrs.AegisFeature}
 * that binds them to the core pipeline, and a MicroProfile-Health-compatible health resource.
 */
package io.aegis.gateway.jaxrs;
