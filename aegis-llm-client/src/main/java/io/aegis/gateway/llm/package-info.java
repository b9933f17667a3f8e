/**
 * One API over OpenAI, Anthropic, Gemini, Hugging Face and Ollama (and a built-in local echo
 * provider), with failover, circuit breakers, quality validation, cost routing, budgets, caching and
 * OpenTelemetry GenAI telemetry. Start with {@link io.aegis.gateway.llm.LlmClients#fromConfig} or
 * {@link io.aegis.gateway.llm.LlmClient#builder()}; {@code docs/llm.md} describes setup, routing,
 * the mid-stream contract and cost accuracy.
 */
package io.aegis.gateway.llm;
