package io.aegis.gateway.waf.internal;

import io.aegis.gateway.network.Cidr;
import io.aegis.gateway.network.IpAddress;
import java.util.List;
import java.util.Locale;

/**
 * Server-side request forgery in parameters whose value is a URL: schemes that reach more than
 * HTTP ({@code gopher:}, {@code dict:}, {@code file:}, ...), cloud metadata endpoints, and hosts
 * that are loopback, private, link-local or written in the obfuscated forms only an attacker uses
 * (decimal, octal, hexadecimal, shortened IPv4). Paranoia level 1 checks values that are a URL as
 * a whole; level 2 also URLs inside text.
 */
public final class Ssrf {

    private static final List<String> DANGEROUS_SCHEMES = List.of("gopher", "dict", "file", "ldap", "ldaps", "tftp",
            "jar", "netdoc", "phar", "expect", "sftp", "smb", "php", "glob", "data", "zip", "ogg", "rar", "ssh2",
            "jdbc", "mailto-no");
    private static final List<Cidr> INTERNAL = List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("10.0.0.0/8"),
            Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.0.0/16"), Cidr.parse("169.254.0.0/16"),
            Cidr.parse("0.0.0.0/8"), Cidr.parse("100.64.0.0/10"), Cidr.parse("::1/128"), Cidr.parse("::/128"),
            Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"));

    private Ssrf() {
    }

    /** The rule that matched, or {@code null}. {@code v} is normalized and lower-cased. */
    public static String detect(String v, int paranoia) {
        String t = v.trim();
        if (t.startsWith("jar:") || t.startsWith("netdoc:")) {
            return "ssrf-scheme";
        }
        int sep = v.indexOf("://");
        if (sep < 0) {
            if (t.startsWith("file:/") || t.startsWith("gopher:") || t.startsWith("dict:") || t.startsWith("jar:")) {
                return "ssrf-scheme";
            }
            return null;
        }
        int from = 0;
        while (sep >= 0) {
            int s = sep - 1;
            while (s >= 0 && (Character.isLetterOrDigit(v.charAt(s)) || v.charAt(s) == '+' || v.charAt(s) == '.'
                    || v.charAt(s) == '-')) {
                s--;
            }
            boolean start = v.substring(0, s + 1).isBlank();
            if (start && (v.startsWith("jar:", s + 1) || v.startsWith("netdoc:", s + 1))) {
                return "ssrf-scheme";
            }
            boolean whole = start && v.trim().indexOf(' ') < 0;
            if (start || paranoia >= 2) {
                String r = url(v.substring(s + 1), paranoia);
                if (r != null && (whole || "ssrf-scheme".equals(r) || paranoia >= 2)) {
                    return r;
                }
            }
            from = sep + 3;
            sep = v.indexOf("://", from);
            if (paranoia < 2) {
                break;
            }
        }
        return null;
    }

    private static String url(String u, int paranoia) {
        int sep = u.indexOf("://");
        String scheme = u.substring(0, sep);
        if (DANGEROUS_SCHEMES.contains(scheme)) {
            return "ssrf-scheme";
        }
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ftp") && !scheme.equals("ws")
                && !scheme.equals("wss")) {
            return null;
        }
        int start = sep + 3;
        int end = start;
        while (end < u.length() && "/?#\\ \t\n".indexOf(u.charAt(end)) < 0) {
            end++;
        }
        String authority = u.substring(start, end);
        int at = authority.lastIndexOf('@');
        String host = at >= 0 ? authority.substring(at + 1) : authority;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close > 0 ? host.substring(1, close) : host.substring(1);
        } else {
            int colon = host.lastIndexOf(':');
            if (colon >= 0) {
                host = host.substring(0, colon);
            }
        }
        host = host.toLowerCase(Locale.ROOT);
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            return null;
        }
        if (host.equals("169.254.169.254") || host.equals("metadata.google.internal") || host.equals("metadata")
                || host.equals("100.100.100.200") || host.equals("fd00:ec2::254") || host.equals("instance-data")
                || host.startsWith("metadata.") || host.equals("169.254.170.2")) {
            return "ssrf-metadata";
        }
        byte[] literal = IpAddress.parse(host);
        if (literal == null) {
            byte[] obfuscated = obfuscatedIpv4(host);
            if (obfuscated != null) {
                return "ssrf-obfuscated-address";
            }
            if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("localtest.me")
                    || host.endsWith(".nip.io") && host.startsWith("127.") || host.equals("0")) {
                return "ssrf-internal-host";
            }
            return null;
        }
        for (Cidr c : INTERNAL) {
            if (c.contains(literal)) {
                return "ssrf-internal-host";
            }
        }
        return null;
    }

    /** IPv4 in a form only parsers accept: 2130706433, 0x7f000001, 0177.0.0.1, 127.1. */
    static byte[] obfuscatedIpv4(String host) {
        if (host.isEmpty() || host.charAt(0) < '0' || host.charAt(0) > '9') {
            return null; // a name
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return null;
        }
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 12) {
                return null;
            }
            for (int k = 0; k < p.length(); k++) {
                char c = p.charAt(k);
                if (!(c >= '0' && c <= '9' || k > 1 && Normalizer.hex(c) >= 0 || k == 1 && c == 'x' && p.charAt(0) == '0')) {
                    return null; // a name, not a number: no exception on the hot path
                }
            }
            try {
                if (p.startsWith("0x")) {
                    v[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    v[i] = Long.parseLong(p, 8);
                } else {
                    v[i] = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return new byte[] {0};
    }
}
