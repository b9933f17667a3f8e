/**
 * Prices and cost: the price table (LiteLLM's public price and context-window map, shipped as a
 * resource and overridable), per-call cost from normalised usage with cache-read, cache-write and
 * reasoning prices.
 */
package io.aegis.gateway.llm.cost;
