package io.aegis.gateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test fixture: writes a small MaxMind DB (format 2.0, 24-bit records) that maps networks to
 * GeoIP2 Country records, following the published MaxMind DB specification: an IPv4 tree, or, with
 * {@link #ipv6()}, an IPv6 tree with the IPv4 networks under {@code ::/96} as MaxMind's own
 * databases are laid out. MaxMind's test databases cannot be fetched in this build, so geo tests
 * read a database written by this class with MaxMind's real reader.
 */
public final class MmdbWriter {

    /** A record's country and registered country ({@code null} when absent). */
    private record Countries(String country, String registered) {
    }

    private final Map<String, Countries> networks = new LinkedHashMap<>();
    private String databaseType = "GeoLite2-Country";
    private boolean ipv6;

    /** Maps a network ({@code 1.2.3.0/24}; IPv6 ones need {@link #ipv6()}) to a country code. */
    public MmdbWriter country(String cidr, String isoCode) {
        networks.put(cidr, new Countries(isoCode, isoCode));
        return this;
    }

    /** Maps a network to a record with only a registered country (as for some networks in real data). */
    public MmdbWriter registeredCountryOnly(String cidr, String isoCode) {
        networks.put(cidr, new Countries(null, isoCode));
        return this;
    }

    /** Writes an IPv6 database ({@code ip_version} 6), IPv4 networks under {@code ::/96}. */
    public MmdbWriter ipv6() {
        this.ipv6 = true;
        return this;
    }

    public MmdbWriter databaseType(String type) {
        this.databaseType = type;
        return this;
    }

    private static final class Node {
        final Object[] records = new Object[2]; // Node, Integer (data offset) or null
        int number;
    }

    public Path write(Path file) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        Map<Countries, Integer> offsets = new LinkedHashMap<>();
        for (Countries c : networks.values()) {
            if (!offsets.containsKey(c)) {
                offsets.put(c, data.size());
                Map<String, Object> record = new LinkedHashMap<>();
                if (c.country() != null) {
                    record.put("country", country(c.country(), offsets.size()));
                }
                if (c.registered() != null) {
                    record.put("registered_country", country(c.registered(), offsets.size()));
                }
                encode(data, record);
            }
        }
        int bits = ipv6 ? 128 : 32;
        Node root = new Node();
        for (Map.Entry<String, Countries> e : networks.entrySet()) {
            String[] parts = e.getKey().split("/");
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            int prefix = Integer.parseInt(parts[1]);
            if (address.length == 16 && !ipv6) {
                throw new IllegalArgumentException(e.getKey() + ": an IPv6 network needs ipv6()");
            }
            if (address.length == 4 && ipv6) {
                byte[] v6 = new byte[16];
                System.arraycopy(address, 0, v6, 12, 4); // ::a.b.c.d, where MaxMind keeps IPv4
                address = v6;
                prefix += 96;
            }
            Node n = root;
            for (int depth = 0; depth < prefix; depth++) {
                int bit = address[depth / 8] >>> 7 - depth % 8 & 1;
                if (depth == prefix - 1) {
                    n.records[bit] = offsets.get(e.getValue());
                } else {
                    if (!(n.records[bit] instanceof Node)) {
                        n.records[bit] = new Node();
                    }
                    n = (Node) n.records[bit];
                }
            }
        }
        List<Node> order = new ArrayList<>();
        Deque<Node> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            n.number = order.size();
            order.add(n);
            for (Object r : n.records) {
                if (r instanceof Node child) {
                    queue.add(child);
                }
            }
        }
        int nodeCount = order.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : order) {
            for (Object r : n.records) {
                long v = r instanceof Node c ? c.number : r instanceof Integer d ? nodeCount + 16L + d : nodeCount;
                out.write((int) (v >>> 16 & 0xFF));
                out.write((int) (v >>> 8 & 0xFF));
                out.write((int) (v & 0xFF));
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(new byte[] {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF});
        out.write("MaxMind.com".getBytes(StandardCharsets.US_ASCII));
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("binary_format_major_version", 2);
        meta.put("binary_format_minor_version", 0);
        meta.put("build_epoch", new Uint64(1_700_000_000L));
        meta.put("database_type", databaseType);
        meta.put("description", Map.of("en", "Aegis test database"));
        meta.put("ip_version", bits == 128 ? 6 : 4);
        meta.put("languages", List.of("en"));
        meta.put("node_count", (long) nodeCount);
        meta.put("record_size", 24);
        encode(out, meta);
        return Files.write(file, out.toByteArray());
    }

    private static Map<String, Object> country(String code, int id) {
        Map<String, Object> country = new LinkedHashMap<>();
        country.put("geoname_id", 1000L + id);
        country.put("iso_code", code);
        country.put("names", Map.of("en", "Country " + code));
        return country;
    }

    private record Uint64(long value) {
    }

    private static void encode(ByteArrayOutputStream out, Object v) {
        if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            control(out, 2, b.length);
            out.writeBytes(b);
        } else if (v instanceof Integer i) { // uint16
            byte[] b = unsigned(i);
            control(out, 5, b.length);
            out.writeBytes(b);
        } else if (v instanceof Long l) { // uint32
            byte[] b = unsigned(l);
            control(out, 6, b.length);
            out.writeBytes(b);
        } else if (v instanceof Uint64 u) {
            byte[] b = unsigned(u.value);
            extended(out, 9, b.length);
            out.writeBytes(b);
        } else if (v instanceof Map<?, ?> m) {
            control(out, 7, m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                encode(out, String.valueOf(e.getKey()));
                encode(out, e.getValue());
            }
        } else if (v instanceof List<?> list) {
            extended(out, 11, list.size());
            for (Object o : list) {
                encode(out, o);
            }
        } else {
            throw new IllegalArgumentException("unsupported: " + v);
        }
    }

    private static byte[] unsigned(long v) {
        int n = 0;
        for (long x = v; x != 0; x >>>= 8) {
            n++;
        }
        byte[] b = new byte[n];
        for (int i = n - 1; i >= 0; i--) {
            b[i] = (byte) v;
            v >>>= 8;
        }
        return b;
    }

    private static void control(ByteArrayOutputStream out, int type, int size) {
        if (size >= 29) {
            throw new IllegalArgumentException("size " + size + " (this fixture writes sizes below 29)");
        }
        out.write(type << 5 | size);
    }

    private static void extended(ByteArrayOutputStream out, int type, int size) {
        out.write(size);
        out.write(type - 7);
    }
}
