package io.aegis.gateway.pipeline;

/**
 * One element of the inbound pipeline.
 *
 * <p>A policy reads the {@link Exchange}, may add response headers or attributes to it, and
 * returns a {@link Decision}. It must not throw for bad client input: invalid credentials,
 * exceeded limits and malformed requests are rejections. Policies are immutable and
 * thread-safe; per-request state lives in the exchange.
 *
 * <p>Policies run in the order of their {@link #stage()}, then in registration order within a
 * stage.
 */
public interface GatewayPolicy {

    /** Where in the inbound order this policy runs. */
    Stage stage();

    /** Evaluates the exchange. Called once per request on the request thread. */
    Decision evaluate(Exchange exchange);

    /**
     * Called once the response status is known, for every policy whose {@link #evaluate} ran
     * (including the one that rejected), in reverse order. Exceptions are logged and ignored.
     *
     * @param status the HTTP status sent to the client
     */
    default void onComplete(Exchange exchange, int status) {
    }

    /** A short name for logs and metrics; the simple class name by default. */
    default String name() {
        return getClass().getSimpleName();
    }
}
