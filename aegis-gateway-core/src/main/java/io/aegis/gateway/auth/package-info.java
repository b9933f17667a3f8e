/** Authentication and authorization: the principal, the policies, RFC 6750 challenges. */
package io.aegis.gateway.auth;
