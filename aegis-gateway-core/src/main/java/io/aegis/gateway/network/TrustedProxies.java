package io.aegis.gateway.network;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The networks whose forwarding headers are believed. Empty by default: the client is the socket
 * peer and {@code Forwarded} / {@code X-Forwarded-For} are ignored, so nobody can spoof an
 * address by sending a header.
 *
 * <p>Immutable and thread-safe.
 */
public final class TrustedProxies {

    private static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Cidr> networks;

    private TrustedProxies(List<Cidr> networks) {
        this.networks = List.copyOf(networks);
    }

    public static TrustedProxies none() {
        return NONE;
    }

    public static TrustedProxies of(Collection<Cidr> networks) {
        return networks.isEmpty() ? NONE : new TrustedProxies(new ArrayList<>(networks));
    }

    /**
     * Parses a comma-separated list of addresses and CIDR networks.
     *
     * @throws IllegalArgumentException naming the entry that is not an address or network
     */
    public static TrustedProxies parse(String list) {
        List<Cidr> out = new ArrayList<>();
        if (list != null) {
            for (String part : list.split(",")) {
                if (!part.isBlank()) {
                    out.add(Cidr.parse(part));
                }
            }
        }
        return of(out);
    }

    public List<Cidr> networks() {
        return networks;
    }

    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** {@code true} when the address bytes lie in a trusted network. */
    public boolean contains(byte[] address) {
        for (Cidr c : networks) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrustedProxies t && t.networks.equals(networks);
    }

    @Override
    public int hashCode() {
        return networks.hashCode();
    }

    @Override
    public String toString() {
        return "TrustedProxies" + networks;
    }
}
