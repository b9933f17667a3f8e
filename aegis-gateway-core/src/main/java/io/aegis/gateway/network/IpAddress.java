package io.aegis.gateway.network;

import java.util.Arrays;

/**
 * Parses IP address literals without ever touching DNS ({@link java.net.InetAddress#getByName}
 * resolves host names, which must never happen for a header value).
 *
 * <p>Accepts dotted-quad IPv4 ({@code 192.0.2.1}, no leading zeros, no shorthand) and RFC 4291
 * IPv6 text ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}), optionally in brackets, optionally
 * with a zone id ({@code fe80::1%eth0}, which is dropped). IPv4-mapped IPv6 addresses are
 * returned as their IPv4 address so that one rule covers both forms.
 */
public final class IpAddress {

    private IpAddress() {
    }

    /** The 4 or 16 address bytes, or {@code null} when the text is not an IP literal. */
    public static byte[] parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        if (s.indexOf(':') >= 0) {
            int zone = s.indexOf('%');
            if (zone >= 0) {
                s = s.substring(0, zone);
            }
            byte[] v6 = parseV6(s);
            if (v6 != null && isV4Mapped(v6)) {
                return Arrays.copyOfRange(v6, 12, 16);
            }
            return v6;
        }
        return parseV4(s);
    }

    /** {@code true} when the text is an IPv4 or IPv6 literal. */
    public static boolean isLiteral(String text) {
        return parse(text) != null;
    }

    /** The canonical text of an address: dotted quad, or RFC 5952 IPv6. */
    public static String format(byte[] a) {
        if (a.length == 4) {
            return (a[0] & 0xFF) + "." + (a[1] & 0xFF) + "." + (a[2] & 0xFF) + "." + (a[3] & 0xFF);
        }
        int[] w = new int[8];
        for (int i = 0; i < 8; i++) {
            w[i] = (a[2 * i] & 0xFF) << 8 | a[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (w[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && w[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(w[i]));
        }
        return sb.toString();
    }

    /** Parses and re-formats an address literal; {@code null} when it is not one. */
    public static String canonical(String text) {
        byte[] a = parse(text);
        return a == null ? null : format(a);
    }

    static byte[] parseV4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (part < 4) {
            int start = i;
            int v = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                v = v * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return null;
                }
            }
            int len = i - start;
            if (len == 0 || v > 255 || len > 1 && s.charAt(start) == '0') {
                return null;
            }
            out[part++] = (byte) v;
            if (part < 4) {
                if (i >= n || s.charAt(i) != '.') {
                    return null;
                }
                i++;
            }
        }
        return i == n ? out : null;
    }

    private static byte[] parseV6(String s) {
        int dbl = s.indexOf("::");
        if (dbl >= 0 && s.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String head = dbl >= 0 ? s.substring(0, dbl) : s;
        String tail = dbl >= 0 ? s.substring(dbl + 2) : "";
        int[] hw = new int[10];
        // An IPv4 tail ends the address: before "::" it is never allowed ("1.2.3.4::" is not IPv6).
        int hn = groups(head, hw, dbl < 0);
        if (hn < 0) {
            return null;
        }
        int[] tw = new int[10];
        int tn = dbl >= 0 ? groups(tail, tw, true) : 0;
        if (tn < 0) {
            return null;
        }
        int total = hn + tn;
        if (dbl < 0 ? total != 8 : total > 7) {
            return null;
        }
        byte[] out = new byte[16];
        for (int i = 0; i < hn; i++) {
            out[2 * i] = (byte) (hw[i] >> 8);
            out[2 * i + 1] = (byte) hw[i];
        }
        for (int i = 0; i < tn; i++) {
            int pos = 8 - tn + i;
            out[2 * pos] = (byte) (tw[i] >> 8);
            out[2 * pos + 1] = (byte) tw[i];
        }
        return out;
    }

    /** Parses colon-separated 16-bit groups (the last may be an IPv4 tail); returns the count or -1. */
    private static int groups(String s, int[] out, boolean v4TailAllowed) {
        if (s.isEmpty()) {
            return 0;
        }
        String[] parts = s.split(":", -1);
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (i == parts.length - 1 && v4TailAllowed && p.indexOf('.') >= 0) {
                byte[] v4 = parseV4(p);
                if (v4 == null || n + 2 > 8) {
                    return -1;
                }
                out[n++] = (v4[0] & 0xFF) << 8 | v4[1] & 0xFF;
                out[n++] = (v4[2] & 0xFF) << 8 | v4[3] & 0xFF;
                continue;
            }
            if (p.isEmpty() || p.length() > 4 || n >= 8) {
                return -1;
            }
            int v = 0;
            for (int j = 0; j < p.length(); j++) {
                char c = p.charAt(j);
                int d = c < 0x80 ? Character.digit(c, 16) : -1; // ASCII only: no fullwidth or Arabic-Indic digits
                if (d < 0) {
                    return -1;
                }
                v = v << 4 | d;
            }
            out[n++] = v;
        }
        return n;
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
    }
}
