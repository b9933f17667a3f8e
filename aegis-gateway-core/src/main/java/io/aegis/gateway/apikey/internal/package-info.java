/**
 * Implementation of API keys: caches, abuse counting, usage accounting, schema migration, the
 * Redis broadcast. <strong>Not API:</strong> anything here may change at any time without notice.
 */
package io.aegis.gateway.apikey.internal;
