/**
 * The framework-neutral pipeline: the request view, the exchange, policies, decisions and RFC 9457
 * problems. Adapters translate their framework to these types; they never decide.
 */
package io.aegis.gateway.pipeline;
