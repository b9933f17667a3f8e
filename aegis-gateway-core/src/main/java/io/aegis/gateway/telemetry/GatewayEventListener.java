package io.aegis.gateway.telemetry;

/**
 * Receives {@link GatewayEvent}s. Called synchronously on the thread that observed the event,
 * often a request thread: keep it quick, hand slow work to a queue. Exceptions are logged and
 * ignored; they never change the outcome of a request.
 */
@FunctionalInterface
public interface GatewayEventListener {
    void onEvent(GatewayEvent event);
}
