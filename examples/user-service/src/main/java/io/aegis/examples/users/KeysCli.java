package io.aegis.examples.users;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar user-service.jar keys <command> …}: API-key administration from a terminal. It
 * talks to the running service's admin endpoint ({@code /admin/api-keys}) over HTTP, so it works
 * with every store (the in-memory default included) and every change is authorized and audited
 * like any other admin call.
 *
 * <p>Where: {@code --url} (default {@code AEGIS_URL}, else {@code http://localhost:$AEGIS_HTTP_PORT},
 * port 8080). Who: {@code --token} (default {@code AEGIS_ADMIN_TOKEN}), a bearer token with the
 * {@code aegis:admin} scope; without one, a development token is asked from {@code /dev/token}
 * (dev profile only).
 */
public final class KeysCli {

    static final String USAGE = """
            usage: java -jar user-service.jar keys <command> [options]
              create --owner ID [--name TEXT] [--tenant ID] [--tier free|premium|enterprise]
                     [--scopes a,b] [--expires-in 30d]
              list   [--owner ID] [--tenant ID] [--status active|rotated|revoked] [--limit N]
              show   KEY_ID
              rotate KEY_ID [--grace 24h]
              revoke KEY_ID
              usage  KEY_ID [--from 2026-01-01T00:00:00Z] [--to …]
              audit  KEY_ID
            options: --url http://localhost:8080 (AEGIS_URL)  --token TOKEN (AEGIS_ADMIN_TOKEN)
            """;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    KeysCli(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Runs a command; answers the exit status (0 done, 1 refused or failed, 2 usage error). */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        return new KeysCli(env, out, err).run(Arrays.asList(args));
    }

    int run(List<String> args) {
        if (args.isEmpty() || args.get(0).equals("help") || args.get(0).equals("--help")) {
            out.print(USAGE);
            return args.isEmpty() ? 2 : 0;
        }
        String command = args.get(0);
        List<String> positional = new ArrayList<>();
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                if (i + 1 >= args.size()) {
                    return usage("option " + a + " needs a value");
                }
                opts.put(a.substring(2), args.get(++i));
            } else {
                positional.add(a);
            }
        }
        String base = opts.getOrDefault("url", env.getOrDefault("AEGIS_URL",
                "http://localhost:" + env.getOrDefault("AEGIS_HTTP_PORT", "8080")));
        try {
            URI root = URI.create(base.endsWith("/") ? base : base + "/");
            String token = opts.containsKey("token") ? opts.get("token") : env.get("AEGIS_ADMIN_TOKEN");
            if (token == null || token.isBlank()) {
                token = devToken(root);
                if (token == null) {
                    err.println("no admin token: pass --token or set AEGIS_ADMIN_TOKEN (a bearer token with scope aegis:admin)");
                    return 1;
                }
            }
            return switch (command) {
                case "create" -> {
                    if (!opts.containsKey("owner")) {
                        yield usage("create needs --owner");
                    }
                    ObjectNode body = JSON.createObjectNode();
                    body.put("owner", opts.get("owner"));
                    putIf(body, "name", opts.get("name"));
                    putIf(body, "tenant", opts.get("tenant"));
                    putIf(body, "tier", opts.get("tier"));
                    putIf(body, "scopes", opts.get("scopes"));
                    putIf(body, "expires_in", opts.get("expires-in"));
                    yield call(root, "POST", "admin/api-keys", token, body.toString());
                }
                case "list" -> {
                    StringBuilder q = new StringBuilder();
                    for (String k : List.of("owner", "tenant", "status", "limit")) {
                        if (opts.containsKey(k)) {
                            q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
                                    .append(URLEncoder.encode(opts.get(k), StandardCharsets.UTF_8));
                        }
                    }
                    yield call(root, "GET", "admin/api-keys" + q, token, null);
                }
                case "show" -> positional.size() != 1 ? usage("show needs KEY_ID")
                        : call(root, "GET", "admin/api-keys/" + id(positional), token, null);
                case "rotate" -> {
                    if (positional.size() != 1) {
                        yield usage("rotate needs KEY_ID");
                    }
                    ObjectNode body = JSON.createObjectNode();
                    putIf(body, "grace", opts.get("grace"));
                    yield call(root, "POST", "admin/api-keys/" + id(positional) + "/rotate", token, body.toString());
                }
                case "revoke" -> positional.size() != 1 ? usage("revoke needs KEY_ID")
                        : call(root, "POST", "admin/api-keys/" + id(positional) + "/revoke", token, "");
                case "usage" -> {
                    if (positional.size() != 1) {
                        yield usage("usage needs KEY_ID");
                    }
                    StringBuilder q = new StringBuilder();
                    for (String k : List.of("from", "to")) {
                        if (opts.containsKey(k)) {
                            q.append(q.length() == 0 ? "?" : "&").append(k).append('=')
                                    .append(URLEncoder.encode(opts.get(k), StandardCharsets.UTF_8));
                        }
                    }
                    yield call(root, "GET", "admin/api-keys/" + id(positional) + "/usage" + q, token, null);
                }
                case "audit" -> positional.size() != 1 ? usage("audit needs KEY_ID")
                        : call(root, "GET", "admin/api-keys/" + id(positional) + "/audit", token, null);
                default -> usage("unknown command " + command);
            };
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            err.println("cannot reach " + base + ": " + e.getMessage() + " (is the service running? --url)");
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private static String id(List<String> positional) {
        String id = positional.get(0);
        if (!id.matches("key_[0-9a-f]{1,64}")) {
            throw new IllegalArgumentException("KEY_ID: " + id + " (expected: key_ followed by hex digits)");
        }
        return id;
    }

    private static void putIf(ObjectNode body, String name, String value) {
        if (value != null) {
            body.put(name, value);
        }
    }

    private int usage(String problem) {
        err.println(problem);
        err.print(USAGE);
        return 2;
    }

    private String devToken(URI root) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(root.resolve("dev/token?sub=keys-cli&scope=aegis:admin"))
                .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        JsonNode t = JSON.readTree(r.body()).get("access_token");
        return t == null ? null : t.asText();
    }

    private int call(URI root, String method, String path, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String text = pretty(r.body());
        if (r.statusCode() >= 400) {
            err.println("HTTP " + r.statusCode());
            err.println(text);
            return 1;
        }
        out.println(text);
        return 0;
    }

    private static String pretty(String body) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(body));
        } catch (IOException e) {
            return body;
        }
    }
}
