/**
 * One API over OpenAI, Anthropic, Gemini, Hugging Face and Ollama, with failover, quality
 * checks, cost routing, budgets and caching. Arrives with the LLM-client issue; nothing here yet.
 */
package io.aegis.gateway.llm;
