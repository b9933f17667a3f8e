/**
 * Internals of the rate-limit backends (the Redis proxy manager). May change at any time.
 */
package io.aegis.gateway.ratelimit.internal;
