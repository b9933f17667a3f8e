package io.aegis.gateway.waf;

import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.RouteTable;
import io.aegis.gateway.telemetry.GatewayEvents;
import io.aegis.gateway.testing.FakeRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the WAF against corpora that are not ours and must not be committed: every {@code *.txt}
 * file of a directory (one value a line) is sent through a {@link WafPolicy} the way the example
 * services receive it, in three places: a query parameter ({@code GET /api/v1/users?search=…},
 * form-encoded), a JSON string field ({@code POST /api/v1/users}, {@code "bio": …}) and a path
 * segment ({@code GET /api/v1/users/…}, percent-encoded like {@code encodeURIComponent}).
 *
 * <p>Files whose name starts with {@code benign} are benign; the others are attacks. For each file
 * and paranoia level it prints the share of values blocked in each place and in any place; then, at
 * the level given by {@code --show-level} (default 1), the attacks that no place blocked (or, with
 * {@code --per-place}, that some place missed) and the benign values that some place blocked, with
 * the rule and the place.
 *
 * <pre>
 * java -cp … io.aegis.gateway.waf.CorpusEvaluation /tmp/waf-corpora [--show-level 1] [--max-list 200] [--per-place]
 * </pre>
 *
 * <p>Duplicate lines of a file count once; a trailing {@code \r} is dropped. Files named {@code *.jsonl}
 * hold one JSON string a line instead, for values with newlines (code snippets, multi-line posts).
 * A plain program, not a test: the corpora live outside the repository.
 */
public final class CorpusEvaluation {

    enum Place {
        QUERY, JSON, PATH
    }

    private CorpusEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: CorpusEvaluation <directory|file>... [--show-level 1..3] [--max-list N] [--per-place]");
            System.exit(2);
        }
        int showLevel = 1;
        int maxList = 200;
        boolean perPlace = false;
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--show-level" -> showLevel = Integer.parseInt(args[++i]);
                case "--max-list" -> maxList = Integer.parseInt(args[++i]);
                case "--per-place" -> perPlace = true;
                default -> {
                    Path p = Path.of(args[i]);
                    if (Files.isDirectory(p)) {
                        try (Stream<Path> s = Files.list(p)) {
                            s.filter(f -> f.getFileName().toString().endsWith(".txt")
                                    || f.getFileName().toString().endsWith(".jsonl")).sorted().forEach(files::add);
                        }
                    } else {
                        files.add(p);
                    }
                }
            }
        }
        WafPolicy[] levels = new WafPolicy[3];
        for (int l = 1; l <= 3; l++) {
            levels[l - 1] = new WafPolicy(WafSettings.builder().enabled(true).paranoiaLevel(l).build(), RouteTable.empty(),
                    GatewayEvents.none());
        }
        System.out.printf("%-34s %6s  %-29s %-29s %-29s%n", "file", "values", "PL1 any query json path",
                "PL2 any query json path", "PL3 any query json path");
        List<String> report = new ArrayList<>();
        for (Path f : files) {
            String name = f.getFileName().toString();
            boolean benign = name.startsWith("benign");
            List<String> values = read(f);
            if (values.isEmpty()) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-34s %6d ", name, values.size()));
            for (int l = 1; l <= 3; l++) {
                int[] hits = new int[Place.values().length];
                int any = 0;
                List<String> listed = new ArrayList<>();
                for (String v : values) {
                    Detection[] d = new Detection[Place.values().length];
                    boolean hit = false;
                    boolean missSomewhere = false;
                    for (Place p : Place.values()) {
                        d[p.ordinal()] = inspect(levels[l - 1], p, v);
                        if (d[p.ordinal()] != null) {
                            hits[p.ordinal()]++;
                            hit = true;
                        } else {
                            missSomewhere = true;
                        }
                    }
                    if (hit) {
                        any++;
                    }
                    if (l == showLevel && listed.size() < maxList) {
                        if (benign && hit) {
                            listed.add("  FP " + describe(d) + "  " + oneLine(v));
                        } else if (!benign && (!hit || perPlace && missSomewhere)) {
                            listed.add("  MISS " + (hit ? describe(d) : "") + " " + oneLine(v));
                        }
                    }
                }
                line.append(String.format(Locale.ROOT, " %6.2f %6.2f %6.2f %6.2f  ", pct(any, values.size()),
                        pct(hits[0], values.size()), pct(hits[1], values.size()), pct(hits[2], values.size())));
                if (l == showLevel && !listed.isEmpty()) {
                    report.add("== " + name + (benign ? " (benign, blocked)" : " (attacks, missed)") + " at PL" + l);
                    report.addAll(listed);
                }
            }
            System.out.println(line);
        }
        System.out.println();
        report.forEach(System.out::println);
    }

    private static String oneLine(String v) {
        return v.replace("\r", "\\r").replace("\n", "\\n");
    }

    private static double pct(int part, int whole) {
        return 100.0 * part / whole;
    }

    private static String describe(Detection[] d) {
        StringBuilder b = new StringBuilder("[");
        for (Place p : Place.values()) {
            Detection x = d[p.ordinal()];
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append(p.name().toLowerCase(Locale.ROOT)).append('=').append(x == null ? "-" : x.rule());
        }
        return b.append(']').toString();
    }

    static List<String> read(Path f) throws IOException {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        boolean json = f.getFileName().toString().endsWith(".jsonl");
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            String v = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (json && !v.isBlank()) {
                v = mapper.readValue(v, String.class);
            }
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return new ArrayList<>(out);
    }

    /** The detection of the WAF for {@code value} sent in {@code place}, or {@code null}. */
    static Detection inspect(WafPolicy waf, Place place, String value) {
        FakeRequest r = switch (place) {
            case QUERY -> FakeRequest.get("/api/v1/users?search=" + formEncode(value) + "&limit=20");
            case JSON -> FakeRequest.of("POST", "/api/v1/users").body("application/json",
                    "{\"name\":\"Kim\",\"email\":\"kim@example.com\",\"bio\":" + jsonString(value) + "}");
            case PATH -> FakeRequest.get("/api/v1/users/" + pathEncode(value));
        };
        Exchange e = new Exchange(r);
        return waf.evaluate(e).rejects() ? e.attribute(WafPolicy.DETECTION) : null;
    }

    /** {@code application/x-www-form-urlencoded}, as browsers and most HTTP clients send a query. */
    static String formEncode(String v) {
        return java.net.URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** Like JavaScript's {@code encodeURIComponent}: everything but unreserved characters escaped. */
    static String pathEncode(String v) {
        StringBuilder b = new StringBuilder(v.length() * 3);
        for (byte x : v.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.!~*'()".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }

    static String jsonString(String v) {
        StringBuilder b = new StringBuilder(v.length() + 2).append('"');
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
