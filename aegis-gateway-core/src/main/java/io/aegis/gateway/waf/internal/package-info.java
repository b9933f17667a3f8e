/**
 * The detection engine behind {@code io.aegis.gateway.waf}: normalization, the SQL lexer, the
 * HTML/JS scanner, path canonicalization, the shell grammar, request parsing. Internal: it may
 * change at any time without notice; use {@link io.aegis.gateway.waf.ThreatDetector}.
 */
package io.aegis.gateway.waf.internal;
