package io.aegis.gateway.resilience;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One instance of an upstream: host, port, relative weight and priority level.
 *
 * <p>Written {@code host:port[;weight[;priority]]} in configuration, e.g. {@code users-1:8080;3}
 * or {@code users-dr:8080;1;1}. Weights are relative (1 to 1000, default 1); priority 0 is the
 * primary level, higher levels are used only by {@link LoadBalancing#PRIORITY} when no target of
 * a lower level is available. Hosts are DNS names or IP literals (IPv6 in brackets).
 *
 * <p>Immutable and thread-safe; equal when every field is equal.
 *
 * @param host the host name or IP literal (IPv6 without brackets)
 * @param port 1 to 65535
 * @param weight 1 to 1000
 * @param priority 0 (primary) to 10
 */
public record Target(String host, int port, int weight, int priority) {

    /** Largest weight accepted. */
    public static final int MAX_WEIGHT = 1000;
    /** Largest priority level accepted. */
    public static final int MAX_PRIORITY = 10;

    /**
     * @throws IllegalArgumentException when a field is out of range
     */
    public Target {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.length() > 253 || !host.matches("[A-Za-z0-9._:%-]+")) {
            throw new IllegalArgumentException("host: '" + host + "' (expected: a DNS name or an IP literal)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
        }
        if (weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: 1.." + MAX_WEIGHT + ")");
        }
        if (priority < 0 || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority: " + priority + " (expected: 0.." + MAX_PRIORITY + ")");
        }
        host = host.toLowerCase(Locale.ROOT);
    }

    /** A target of weight 1 at priority 0. */
    public static Target of(String host, int port) {
        return new Target(host, port, 1, 0);
    }

    /** A target of this weight at priority 0. */
    public static Target of(String host, int port, int weight) {
        return new Target(host, port, weight, 0);
    }

    /**
     * Parses {@code host:port[;weight[;priority]]}.
     *
     * @throws IllegalArgumentException naming the part that is wrong
     */
    public static Target parse(String text) {
        Objects.requireNonNull(text, "text");
        String t = text.strip();
        String[] parts = t.split(";", -1);
        if (parts.length > 3) {
            throw new IllegalArgumentException("target: '" + text + "' (expected: host:port[;weight[;priority]])");
        }
        String hostPort = parts[0].strip();
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("target: '" + text + "' (expected: [ipv6]:port)");
            }
            host = hostPort.substring(1, close);
            port = hostPort.substring(close + 2);
        } else {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0 || hostPort.indexOf(':') != colon) {
                throw new IllegalArgumentException("target: '" + text + "' (expected: host:port[;weight[;priority]])");
            }
            host = hostPort.substring(0, colon);
            port = hostPort.substring(colon + 1);
        }
        int weight = parts.length > 1 ? number(text, "weight", parts[1]) : 1;
        int priority = parts.length > 2 ? number(text, "priority", parts[2]) : 0;
        return new Target(host, number(text, "port", port), weight, priority);
    }

    /** Parses a comma-separated list of targets; blanks are skipped. */
    public static List<Target> parseList(String text) {
        List<Target> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                out.add(parse(part));
            }
        }
        return List.copyOf(out);
    }

    private static int number(String text, String what, String value) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 6 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("target: '" + text + "' (" + what + ": '" + value
                    + "', expected: a whole number)");
        }
        return Integer.parseInt(v);
    }

    /** {@code host:port}, with IPv6 literals in brackets: the identity of the target in a pool. */
    public String authority() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The same target with another weight. */
    public Target withWeight(int newWeight) {
        return new Target(host, port, newWeight, priority);
    }

    @Override
    public String toString() {
        return authority() + ";" + weight + (priority == 0 ? "" : ";" + priority);
    }
}
