package io.aegis.gateway.network;

import io.aegis.gateway.pipeline.Decision;
import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.pipeline.GatewayRequest;
import io.aegis.gateway.pipeline.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Resolves the client address. The socket peer is the client unless it is a
 * {@link TrustedProxies trusted proxy}; only then are the forwarding headers read: RFC 7239
 * {@code Forwarded} ({@code for=}) when present, else {@code X-Forwarded-For}. The hops are walked
 * from the right, skipping trusted proxies; the first untrusted hop is the client. A hop that is
 * not an IP literal ({@code unknown}, an obfuscated identifier, garbage) ends the walk at the last
 * trusted proxy, which is then counted as the client. When every hop is trusted, the left-most one
 * is the client.
 *
 * <p>Never throws for malformed headers. Immutable and thread-safe.
 */
public final class ClientAddressPolicy implements GatewayPolicy {

    private static final int MAX_HOPS = 64;

    private final TrustedProxies trusted;

    public ClientAddressPolicy(TrustedProxies trusted) {
        this.trusted = Objects.requireNonNull(trusted, "trusted");
    }

    @Override
    public Stage stage() {
        return Stage.CLIENT_ADDRESS;
    }

    @Override
    public Decision evaluate(Exchange exchange) {
        exchange.clientAddress(resolve(exchange.request()));
        return Decision.proceed();
    }

    /** The client address of a request, canonical (IPv4-mapped IPv6 as IPv4). */
    public String resolve(GatewayRequest request) {
        String peer = request.remoteAddress();
        if (trusted.isEmpty() && peer.indexOf(':') < 0 && peer.indexOf('[') < 0) {
            return peer; // the common case, an IPv4 peer and no proxies: nothing to parse
        }
        byte[] peerBytes = IpAddress.parse(peer);
        String canonicalPeer = peerBytes == null ? peer : IpAddress.format(peerBytes);
        if (trusted.isEmpty() || peerBytes == null || !trusted.contains(peerBytes)) {
            return canonicalPeer;
        }
        List<String> hops = forwardedFor(request);
        if (hops == null) {
            hops = xForwardedFor(request);
        }
        String client = canonicalPeer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = IpAddress.parse(stripPort(hops.get(i)));
            if (hop == null) {
                return client; // garbage from a trusted proxy: stop at that proxy
            }
            client = IpAddress.format(hop);
            if (!trusted.contains(hop)) {
                return client;
            }
        }
        return client;
    }

    /** The {@code for=} values of {@code Forwarded}, or {@code null} when the header is absent. */
    static List<String> forwardedFor(GatewayRequest request) {
        List<String> headers = request.headers("Forwarded");
        if (headers.isEmpty()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String h : headers) {
            for (String element : splitQuoted(h, ',')) {
                String forValue = null;
                for (String pair : splitQuoted(element, ';')) {
                    int eq = pair.indexOf('=');
                    if (eq > 0 && pair.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("for")) {
                        forValue = unquote(pair.substring(eq + 1).trim());
                    }
                }
                out.add(forValue == null ? "unknown" : forValue);
            }
        }
        // Keep the right-most hops: those were added by our proxies; the left ones are the client's to forge.
        return out.size() > MAX_HOPS ? out.subList(out.size() - MAX_HOPS, out.size()) : out;
    }

    static List<String> xForwardedFor(GatewayRequest request) {
        List<String> out = new ArrayList<>();
        for (String h : request.headers("X-Forwarded-For")) {
            for (String part : h.split(",")) {
                String p = part.trim();
                if (!p.isEmpty()) {
                    out.add(p);
                }
            }
        }
        return out.size() > MAX_HOPS ? out.subList(out.size() - MAX_HOPS, out.size()) : out;
    }

    /** Drops a port: {@code 192.0.2.1:80} and {@code [2001:db8::1]:80}; a bare IPv6 is kept. */
    static String stripPort(String hop) {
        String h = hop.trim();
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            return close > 0 ? h.substring(1, close) : h;
        }
        int colon = h.indexOf(':');
        if (colon > 0 && h.indexOf(':', colon + 1) < 0) {
            return h.substring(0, colon);
        }
        return h;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"");
        }
        return v;
    }

    private static List<String> splitQuoted(String s, char sep) {
        List<String> out = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (c == sep && !quoted) {
                out.add(s.substring(start, i).trim());
                start = i + 1;
            }
        }
        out.add(s.substring(start).trim());
        return out;
    }
}
