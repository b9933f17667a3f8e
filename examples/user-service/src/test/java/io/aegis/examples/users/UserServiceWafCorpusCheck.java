package io.aegis.examples.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.waf.ThreatDetector;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The adapters see what the engine sees: a sample of each corpus file of a directory kept outside
 * the repository ({@code -Daegis.waf.corpora=/tmp/waf-corpora} or {@code AEGIS_WAF_CORPORA}; a measuring
 * tool, not part of the test run: its name matches no surefire pattern, run it with
 * {@code -Dtest=UserServiceWafCorpusCheck}; see docs/security.md "Measuring detection") is sent over real HTTP to the demo, in the
 * query ({@code ?search=}), in a JSON field and as a path segment, and each answer is compared with
 * the detector's verdict on the value as the application receives it. A value the detector flags
 * must be refused (403, or 400 where Jetty refuses an ambiguous path before any filter), and a value
 * it lets through must not be blocked in the query or the body.
 */
class UserServiceWafCorpusCheck {

    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();
    static final int SAMPLE = 60;

    @Test
    void theAdaptersBlockWhatTheEngineBlocks() throws Exception {
        String dir = System.getProperty("aegis.waf.corpora", System.getenv("AEGIS_WAF_CORPORA"));
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new AssertionError("give the corpus directory: -Daegis.waf.corpora=<dir> or AEGIS_WAF_CORPORA");
        }
        Map<String, String> cfg = new java.util.HashMap<>(UserServiceWafIT.config("block"));
        ThreatDetector detector = ThreatDetector.of(1);
        List<String> mismatches = new ArrayList<>();
        int sent = 0;
        try (UserServiceApp app = UserServiceApp.start(() -> AegisConfig.ofMap(cfg))) {
            URI base = URI.create("http://127.0.0.1:" + app.port());
            String token = UserServiceIT.token(base, "scope=users:read%20users:write");
            List<Path> files;
            try (Stream<Path> s = Files.list(Path.of(dir))) {
                files = s.filter(f -> f.toString().endsWith(".txt") || f.toString().endsWith(".jsonl")).sorted().toList();
            }
            for (Path f : files) {
                List<String> values = sample(f);
                int[] wrong = new int[3];
                for (String v : values) {
                    boolean flagged = detector.inspect(v) != null;
                    int query = send(base, token, "GET", "/api/v1/users?search=" + URLEncoder.encode(v, StandardCharsets.UTF_8), null);
                    int body = send(base, token, "POST", "/api/v1/users", json.writeValueAsString(Map.of("name", "Kim",
                            "email", "kim@example.com", "bio", v)));
                    int path = send(base, token, "GET", "/api/v1/users/" + pathEncode(v), null);
                    sent += 3;
                    wrong[0] += check(mismatches, f, "query", v, flagged, query, false);
                    wrong[1] += check(mismatches, f, "json", v, flagged, body, false);
                    wrong[2] += check(mismatches, f, "path", v, flagged, path, true);
                }
                System.out.printf("%-34s %3d values: adapter disagreements query %d, json %d, path %d%n",
                        f.getFileName(), values.size(), wrong[0], wrong[1], wrong[2]);
            }
        }
        System.out.println(sent + " requests; disagreements: " + mismatches.size());
        mismatches.forEach(System.out::println);
        assertThat(mismatches).as("values the engine and the HTTP adapters judge differently").isEmpty();
    }

    /** One disagreement or none: blocked where the engine is silent, or served where it detects. */
    private static int check(List<String> out, Path f, String place, String v, boolean flagged, int status, boolean path) {
        boolean refused = status == 403 || status == 400;
        // a path segment is also inspected whole and as a path, so it may be refused more often
        boolean wrong = flagged && !refused || !flagged && status == 403 && !path;
        if (wrong) {
            out.add("  " + f.getFileName() + " " + place + " " + status + (flagged ? " (engine: detect) " : " (engine: clean) ")
                    + v.replace("\n", "\\n"));
        }
        return wrong ? 1 : 0;
    }

    private static int send(URI base, String token, String method, String pathAndQuery, String body) throws Exception {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).header("Authorization", "Bearer " + token);
        } catch (IllegalArgumentException e) {
            return 400; // not even a valid URI: no client sends it
        }
        if (body != null) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.GET();
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** An evenly spread sample of the distinct values of a file. */
    private static List<String> sample(Path f) throws Exception {
        LinkedHashSet<String> all = new LinkedHashSet<>();
        boolean jsonl = f.toString().endsWith(".jsonl");
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            String v = jsonl && !line.isBlank() ? json.readValue(line, String.class) : line;
            if (!v.isEmpty()) {
                all.add(v);
            }
        }
        List<String> values = new ArrayList<>(all);
        if (values.size() <= SAMPLE) {
            return values;
        }
        List<String> out = new ArrayList<>(SAMPLE);
        for (int i = 0; i < SAMPLE; i++) {
            out.add(values.get((int) ((long) i * values.size() / SAMPLE)));
        }
        return out;
    }

    static String pathEncode(String v) {
        StringBuilder b = new StringBuilder(v.length() * 3);
        for (byte x : v.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0) {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
