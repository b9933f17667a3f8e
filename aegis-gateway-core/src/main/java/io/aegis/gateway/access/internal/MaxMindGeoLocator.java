package io.aegis.gateway.access.internal;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.model.CountryResponse;
import io.aegis.gateway.access.spi.GeoLocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A {@link GeoLocator} over a MaxMind GeoIP2/GeoLite2 Country or City database, memory-mapped.
 * Addresses are never resolved (they arrive as bytes). The country is where the address is used,
 * or, when the record has none, where the network is registered.
 */
public final class MaxMindGeoLocator implements GeoLocator, AutoCloseable {

    private final DatabaseReader reader;
    private final boolean city;

    private MaxMindGeoLocator(DatabaseReader reader) {
        this.reader = reader;
        this.city = reader.getMetadata().getDatabaseType().contains("City");
    }

    /**
     * Opens a database.
     *
     * @throws UncheckedIOException when the file is missing or not a MaxMind database
     * @throws IllegalStateException when the MaxMind library is not on the class path
     */
    public static MaxMindGeoLocator open(Path mmdb) {
        try {
            Class.forName("com.maxmind.geoip2.DatabaseReader");
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("geo rules need com.maxmind.geoip2:geoip2 on the class path", e);
        }
        try {
            return new MaxMindGeoLocator(new DatabaseReader.Builder(mmdb.toFile()).build());
        } catch (IOException e) {
            throw new UncheckedIOException("geo database " + mmdb + " (expected: a MaxMind .mmdb file)", e);
        }
    }

    public String databaseType() {
        return reader.getMetadata().getDatabaseType();
    }

    @Override
    public String country(byte[] address) {
        try {
            InetAddress a = InetAddress.getByAddress(address);
            String code;
            if (city) {
                Optional<CityResponse> r = reader.tryCity(a);
                code = r.map(x -> code(x.getCountry().getIsoCode(), x.getRegisteredCountry().getIsoCode())).orElse(null);
            } else {
                Optional<CountryResponse> r = reader.tryCountry(a);
                code = r.map(x -> code(x.getCountry().getIsoCode(), x.getRegisteredCountry().getIsoCode())).orElse(null);
            }
            return code;
        } catch (UnknownHostException e) {
            return null;
        } catch (IOException | com.maxmind.geoip2.exception.GeoIp2Exception | RuntimeException e) {
            return null; // a damaged record is an unknown country, never a failed request
        }
    }

    /**
     * Where the address is used, else (for networks MaxMind locates only by registration, such as
     * some satellite and anycast providers) where it is registered.
     */
    private static String code(String country, String registered) {
        return country != null ? country : registered;
    }

    @Override
    public void close() {
        try {
            reader.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}
