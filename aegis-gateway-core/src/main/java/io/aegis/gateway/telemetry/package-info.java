/** Gateway events (the observation hook) and their listeners. */
package io.aegis.gateway.telemetry;
