package io.aegis.gateway.access.spi;

/**
 * Answers the country of an address, for geo rules. The library ships one over a MaxMind
 * GeoIP2/GeoLite2 Country or City database ({@code aegis.access.geo.database}); others (a
 * provider's API, a CDN header) implement this interface.
 *
 * <p>Implementations are thread-safe and fast (called on the request path); they never throw for
 * unknown addresses.
 */
@FunctionalInterface
public interface GeoLocator {

    /**
     * @param address the 4 or 16 address bytes
     * @return the ISO 3166-1 alpha-2 country code in upper case, or {@code null} when unknown
     */
    String country(byte[] address);
}
