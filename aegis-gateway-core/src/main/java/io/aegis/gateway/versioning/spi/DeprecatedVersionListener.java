package io.aegis.gateway.versioning.spi;

/**
 * Told when a client still calls a deprecated API version within the alert window before its
 * sunset ({@code aegis.versioning.alert.days-before-sunset}, 30 days by default): at most once
 * per client and version per day (UTC).
 *
 * <p>Called synchronously on the request thread after the response status is known: keep it
 * quick and hand slow work (mail, tickets) to a queue. Exceptions are logged and ignored; they
 * never change a response. Implementations must be thread-safe.
 *
 * <p>Registered with {@code AegisGateway.Builder.deprecatedVersionListener(...)}, or found with
 * {@link java.util.ServiceLoader} when none is registered; with neither, the default logs a
 * warning.
 */
@FunctionalInterface
public interface DeprecatedVersionListener {

    /** A client used a deprecated version close to its sunset. */
    void onDeprecatedUse(DeprecatedUse use);
}
