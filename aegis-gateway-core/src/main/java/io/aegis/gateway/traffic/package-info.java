/**
 * Traffic control of a service beyond per-caller rate limits: quotas, adaptive load shedding,
 * emergency mode and burst credit, assembled by {@link io.aegis.gateway.traffic.TrafficControl},
 * which owns their state across configuration reloads.
 */
package io.aegis.gateway.traffic;
