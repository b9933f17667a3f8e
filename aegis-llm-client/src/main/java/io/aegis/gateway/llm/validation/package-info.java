/**
 * Quality validators for answers: non-empty, JSON that parses and matches the requested schema,
 * length bounds, banned content, custom predicates. A failure makes the client try the next
 * candidate, and is counted.
 */
package io.aegis.gateway.llm.validation;
