/**
 * The request view and HTTP handling of the ext_authz sidecar. Internal: may change at any time;
 * not for use outside this module.
 */
package io.aegis.gateway.mesh.extauthz.internal;
