/**
 * Implementation of the LLM client: wire formats, the SSE and NDJSON parsers, the HTTP stream,
 * circuit breakers, the streaming router. Internal: may change at any time, never use it from
 * another module.
 */
package io.aegis.gateway.llm.internal;
