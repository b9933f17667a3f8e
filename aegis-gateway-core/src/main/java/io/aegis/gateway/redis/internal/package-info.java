/**
 * The shared Lettuce client behind {@link io.aegis.gateway.redis.RedisSettings}. Internal: may
 * change at any time; only the core's own features use it.
 */
package io.aegis.gateway.redis.internal;
