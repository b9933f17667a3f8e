/**
 * Adaptive load shedding: a concurrency limit that follows latency (AIMD) and sheds the lowest
 * tiers first when it is reached.
 */
package io.aegis.gateway.adaptive;
