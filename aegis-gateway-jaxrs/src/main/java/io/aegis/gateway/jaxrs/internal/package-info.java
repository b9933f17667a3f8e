/**
 * The JAX-RS filters that translate between Jakarta REST and the core pipeline.
 * <strong>Not API:</strong> anything here may change at any time without notice.
 */
package io.aegis.gateway.jaxrs.internal;
