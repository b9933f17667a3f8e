/**
 * The Envoy ext_authz sidecar: an HTTP authorization service (Envoy's ext_authz HTTP protocol)
 * that runs the core pipeline of an {@link io.aegis.gateway.AegisGateway} for services that
 * cannot embed the library. An adapter: it translates, the pipeline decides.
 */
package io.aegis.gateway.mesh.extauthz;
