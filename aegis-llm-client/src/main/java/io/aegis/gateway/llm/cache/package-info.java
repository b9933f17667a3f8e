/**
 * Exact-match response cache: keyed by the normalised request, the route and the tenant; only
 * deterministic requests (temperature 0) unless configured; a hit costs nothing and is marked.
 * In memory ({@link io.aegis.gateway.llm.cache.LocalResponseCache}) or in Redis
 * ({@link io.aegis.gateway.llm.cache.RedisResponseCache}). An opt-in, per-tenant
 * {@link io.aegis.gateway.llm.cache.SemanticCache} with a negation and number guard answers
 * near-duplicate questions.
 */
package io.aegis.gateway.llm.cache;
