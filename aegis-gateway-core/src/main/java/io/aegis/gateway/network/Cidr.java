package io.aegis.gateway.network;

import java.util.Objects;

/**
 * An IPv4 or IPv6 network in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); a bare
 * address is a /32 or /128. IPv4-mapped IPv6 addresses match the IPv4 networks.
 *
 * <p>Immutable and thread-safe.
 */
public final class Cidr {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private Cidr(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
        this.text = IpAddress.format(network) + "/" + prefix;
    }

    /**
     * Parses CIDR notation or a bare address.
     *
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Cidr parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.trim();
        int slash = t.indexOf('/');
        byte[] addr = IpAddress.parse(slash < 0 ? t : t.substring(0, slash));
        if (addr == null) {
            throw new IllegalArgumentException("cidr: '" + text + "' (expected: an IP address or network such as 10.0.0.0/8 or 2001:db8::/32)");
        }
        int max = addr.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cidr: '" + text + "' (expected: a prefix length after '/')", e);
            }
            if (addr.length == 4 && t.substring(0, slash).contains(":")) {
                // ::ffff:a.b.c.d/n — the prefix counts IPv6 bits
                prefix -= 96;
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("cidr: '" + text + "' (expected: a prefix length 0.." + max + ")");
            }
        }
        byte[] net = addr.clone();
        mask(net, prefix);
        return new Cidr(net, prefix);
    }

    private static void mask(byte[] a, int prefix) {
        for (int i = 0; i < a.length; i++) {
            int bits = Math.max(0, Math.min(8, prefix - i * 8));
            a[i] &= (byte) (0xFF << (8 - bits));
        }
    }

    /** {@code true} when the address (bytes from {@link IpAddress#parse}) lies in this network. */
    public boolean contains(byte[] address) {
        if (address == null || address.length != network.length) {
            return false;
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int m = 0xFF << (8 - rest) & 0xFF;
        return (address[full] & m) == (network[full] & 0xFF);
    }

    /** {@code true} when the address literal lies in this network; {@code false} for a non-literal. */
    public boolean contains(String address) {
        return contains(IpAddress.parse(address));
    }

    public int prefixLength() {
        return prefix;
    }

    public boolean isIpv4() {
        return network.length == 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** Canonical CIDR notation. */
    @Override
    public String toString() {
        return text;
    }
}
