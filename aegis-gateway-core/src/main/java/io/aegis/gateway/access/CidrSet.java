package io.aegis.gateway.access;

import io.aegis.gateway.network.Cidr;
import io.aegis.gateway.network.IpAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A set of IPv4 and IPv6 networks answering membership in O(log n): the networks become sorted,
 * merged address ranges (128-bit, IPv4 mapped into {@code ::ffff:0:0/96}), searched by binary
 * search. Built for lists of any size: configuration, files, threat-intelligence feeds.
 *
 * <p>Immutable and thread-safe.
 */
public final class CidrSet {

    private static final CidrSet EMPTY = new CidrSet(new long[0], new long[0], new long[0], new long[0], 0);

    private final long[] startHi;
    private final long[] startLo;
    private final long[] endHi;
    private final long[] endLo;
    private final int sourceSize;

    private CidrSet(long[] startHi, long[] startLo, long[] endHi, long[] endLo, int sourceSize) {
        this.startHi = startHi;
        this.startLo = startLo;
        this.endHi = endHi;
        this.endLo = endLo;
        this.sourceSize = sourceSize;
    }

    public static CidrSet empty() {
        return EMPTY;
    }

    /** The set of these networks. */
    public static CidrSet of(Collection<Cidr> networks) {
        if (networks.isEmpty()) {
            return EMPTY;
        }
        List<long[]> ranges = new ArrayList<>(networks.size());
        for (Cidr c : networks) {
            byte[] net = IpAddress.parse(c.toString().substring(0, c.toString().indexOf('/')));
            int prefix = c.prefixLength() + (net.length == 4 ? 96 : 0);
            long[] start = words(net);
            long[] end = start.clone();
            // set the host bits of end
            for (int bit = prefix; bit < 128; bit++) {
                if (bit < 64) {
                    end[0] |= 1L << 63 - bit;
                } else {
                    end[1] |= 1L << 127 - bit;
                }
            }
            ranges.add(new long[] {start[0], start[1], end[0], end[1]});
        }
        ranges.sort((a, b) -> compare(a[0], a[1], b[0], b[1]));
        List<long[]> merged = new ArrayList<>();
        for (long[] r : ranges) {
            long[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && compare(r[0], r[1], last[2], last[3]) <= 0) {
                if (compare(r[2], r[3], last[2], last[3]) > 0) {
                    last[2] = r[2];
                    last[3] = r[3];
                }
            } else {
                merged.add(r.clone());
            }
        }
        int n = merged.size();
        long[] sh = new long[n];
        long[] sl = new long[n];
        long[] eh = new long[n];
        long[] el = new long[n];
        for (int i = 0; i < n; i++) {
            long[] r = merged.get(i);
            sh[i] = r[0];
            sl[i] = r[1];
            eh[i] = r[2];
            el[i] = r[3];
        }
        return new CidrSet(sh, sl, eh, el, networks.size());
    }

    /** {@code true} when the address (bytes from {@link IpAddress#parse}) lies in one of the networks. */
    public boolean contains(byte[] address) {
        if (address == null || startHi.length == 0) {
            return false;
        }
        long[] a = words(address);
        int lo = 0;
        int hi = startHi.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = lo + hi >>> 1;
            if (compare(startHi[mid], startLo[mid], a[0], a[1]) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found >= 0 && compare(a[0], a[1], endHi[found], endLo[found]) <= 0;
    }

    /** {@code true} when the address literal lies in one of the networks. */
    public boolean contains(String address) {
        return contains(IpAddress.parse(address));
    }

    public boolean isEmpty() {
        return startHi.length == 0;
    }

    /** How many networks the set was built from. */
    public int size() {
        return sourceSize;
    }

    private static long[] words(byte[] a) {
        byte[] b = a;
        if (a.length == 4) {
            b = new byte[16];
            b[10] = (byte) 0xFF;
            b[11] = (byte) 0xFF;
            System.arraycopy(a, 0, b, 12, 4);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = hi << 8 | b[i] & 0xFF;
            lo = lo << 8 | b[i + 8] & 0xFF;
        }
        return new long[] {hi, lo};
    }

    private static int compare(long aHi, long aLo, long bHi, long bLo) {
        int c = Long.compareUnsigned(aHi, bHi);
        return c != 0 ? c : Long.compareUnsigned(aLo, bLo);
    }

    @Override
    public String toString() {
        return "CidrSet[" + sourceSize + " networks, " + startHi.length + " ranges]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrSet s && Arrays.equals(s.startHi, startHi) && Arrays.equals(s.startLo, startLo)
                && Arrays.equals(s.endHi, endHi) && Arrays.equals(s.endLo, endLo);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(startLo) * 31 + Arrays.hashCode(endLo);
    }
}
