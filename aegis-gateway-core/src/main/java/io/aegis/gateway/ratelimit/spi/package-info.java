/**
 * Service-provider interface for rate-limit storage: implement
 * {@link io.aegis.gateway.ratelimit.spi.RateLimiterBackend} to keep buckets elsewhere.
 */
package io.aegis.gateway.ratelimit.spi;
