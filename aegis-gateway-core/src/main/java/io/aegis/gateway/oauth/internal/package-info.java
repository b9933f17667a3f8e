/**
 * HTTP and encoding helpers of the OAuth 2.0 client and introspection.
 * <strong>Not API:</strong> anything here may change at any time without notice.
 */
package io.aegis.gateway.oauth.internal;
