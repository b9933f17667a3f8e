package io.aegis.gateway.llm.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The wire-format fixtures, copied byte for byte from {@code shared/llm-fixtures} into
 * {@code src/test/resources/llm-fixtures} (so the tests do not depend on a folder outside the
 * repository; {@code .gitattributes} there keeps the CRLF and no-space framings intact).
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/llm-fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** A {@code .headers} fixture: the status line, then {@code name: value} lines. */
    public static Map<String, String> headers(String path) {
        Map<String, String> out = new LinkedHashMap<>();
        String[] lines = text(path).split("\r?\n");
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                out.put(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
            }
        }
        return out;
    }

    /** The status of a {@code .headers} fixture. */
    public static int status(String path) {
        String first = text(path).split("\r?\n")[0];
        return Integer.parseInt(first.split(" ")[1].trim());
    }

    /**
     * Splits a stream fixture into its events (each with its trailing blank line), keeping the
     * original line ends, so a replay can pause or cut between events.
     */
    public static List<byte[]> events(String path) {
        String s = text(path);
        List<byte[]> out = new ArrayList<>();
        String sep = s.contains("\r\n\r\n") ? "\r\n\r\n" : "\n\n";
        if (path.endsWith(".ndjson")) {
            for (String line : s.split("(?<=\n)")) {
                out.add(line.getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }
        int from = 0;
        while (from < s.length()) {
            int end = s.indexOf(sep, from);
            end = end < 0 ? s.length() : end + sep.length();
            out.add(s.substring(from, end).getBytes(StandardCharsets.UTF_8));
            from = end;
        }
        return out;
    }
}
