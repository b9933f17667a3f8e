/**
 * Projects the policy model into Istio, Kong and Kubernetes configuration, and runs the core
 * pipeline as an Envoy ext_authz service. Arrives with the mesh-projection issue; nothing here yet.
 */
package io.aegis.gateway.mesh;
