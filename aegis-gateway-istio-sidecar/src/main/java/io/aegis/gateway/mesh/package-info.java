/**
 * The mesh projection: one {@link io.aegis.gateway.mesh.MeshDescription} of a service, built from
 * its {@link io.aegis.gateway.policy.ServicePolicy} (annotations, configuration) and a deployment
 * descriptor with an environment overlay, projected by {@link io.aegis.gateway.mesh.MeshGenerator}
 * into Istio, Kong and Kubernetes configuration. The canary rollout
 * ({@link io.aegis.gateway.mesh.Canary}) rewrites generated VirtualServices.
 *
 * <p>Everything here is {@link io.aegis.gateway.mesh.UnstableApi}: the generator grows with the
 * policy model (versions and upstreams arrive as sources of the same description).
 */
@UnstableApi
package io.aegis.gateway.mesh;
