/**
 * The projections behind {@link io.aegis.gateway.mesh.MeshGenerator} and the YAML plumbing.
 * Internal: may change at any time; not for use outside this module.
 */
package io.aegis.gateway.mesh.internal;
