/**
 * Redis connection settings shared by every feature that keeps state across replicas (rate-limit
 * buckets, quotas; later bans, LLM budgets, API-key cache invalidation). The process holds one
 * Lettuce client per distinct {@link io.aegis.gateway.redis.RedisSettings}, shared by all of them
 * (see {@code io.aegis.gateway.redis.internal.SharedRedis}).
 */
package io.aegis.gateway.redis;
