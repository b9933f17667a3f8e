/**
 * Threat defense beyond single requests: its settings ({@link io.aegis.gateway.threat.ThreatSettings}),
 * the state that outlives reloads ({@link io.aegis.gateway.threat.ThreatDefense}).
 */
package io.aegis.gateway.threat;
