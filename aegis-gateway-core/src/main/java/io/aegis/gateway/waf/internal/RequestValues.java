package io.aegis.gateway.waf.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.aegis.gateway.pipeline.RequestBody;
import io.aegis.gateway.waf.Detection;
import io.aegis.gateway.waf.ThreatDetector.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Splits the parts of a request into the individual values the detector inspects: query and form
 * parameters, cookies, JSON strings (streaming, never a tree), multipart text parts. Each value
 * goes to a {@link Visitor}; the first detection it returns stops the walk. Never throws for
 * malformed input: what cannot be parsed is inspected as one value.
 */
public final class RequestValues {

    /** Receives each value; answers a detection to stop, or {@code null} to go on. */
    @FunctionalInterface
    public interface Visitor {
        Detection visit(String source, String name, String value, Target target);
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).maxStringLength(1 << 24).build())
            .build();
    private static final int MAX_NAME = 64;

    private RequestValues() {
    }

    /** {@code a=1&b=2}: names and values, percent-decoded once ({@code +} is a space). */
    public static Detection urlEncoded(String source, String raw, Visitor v) {
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        int n = raw.length();
        int start = 0;
        while (start <= n) {
            int amp = raw.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            if (end > start) {
                int eq = raw.indexOf('=', start);
                String name;
                String value;
                if (eq < 0 || eq > end) {
                    name = Normalizer.percentDecode(raw.substring(start, end), true);
                    value = null;
                } else {
                    name = Normalizer.percentDecode(raw.substring(start, eq), true);
                    value = Normalizer.percentDecode(raw.substring(eq + 1, end), true);
                }
                String shortName = name(name);
                Detection d = v.visit(source, shortName, name, Target.NAME);
                if (d == null && value != null) {
                    d = v.visit(source, shortName, value, Target.PARAMETER);
                }
                if (d != null) {
                    return d;
                }
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return null;
    }

    /** {@code Cookie: a=1; b=2}. */
    public static Detection cookies(String header, Visitor v) {
        for (String pair : header.split(";")) {
            int eq = pair.indexOf('=');
            String name = (eq < 0 ? pair : pair.substring(0, eq)).trim();
            String value = eq < 0 ? "" : pair.substring(eq + 1).trim();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1);
            }
            Detection d = v.visit("cookie", name(name), value, Target.COOKIE);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** Whether a body of this {@code Content-Type} carries text the WAF inspects (and so is buffered). */
    public static boolean inspectable(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return true;
        }
        String t = contentType.toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        t = (semi < 0 ? t : t.substring(0, semi)).trim();
        return t.equals("application/json") || t.endsWith("+json") || t.equals("application/x-ndjson")
                || t.equals("application/x-www-form-urlencoded") || t.startsWith("multipart/form-data")
                || t.startsWith("multipart/mixed") || t.startsWith("text/") || t.equals("application/xml")
                || t.endsWith("+xml") || t.equals("application/graphql");
    }

    /** A body by its media type; types that carry no text (images, archives) are not inspected. */
    public static Detection body(RequestBody body, Visitor v) {
        String type = body.mediaType();
        if (body.length() == 0) {
            return null;
        }
        if (type.equals("application/json") || type.endsWith("+json") || type.equals("application/x-ndjson")) {
            return json(body, v);
        }
        if (type.equals("application/x-www-form-urlencoded")) {
            return urlEncoded("body", body.text(), v);
        }
        if (type.equals("multipart/form-data") || type.equals("multipart/mixed")) {
            String boundary = body.parameter("boundary");
            return boundary == null || boundary.isEmpty() ? v.visit("body", "body", body.text(), Target.PARAMETER)
                    : multipart(body, boundary, v);
        }
        if (type.startsWith("text/") || type.equals("application/xml") || type.endsWith("+xml") || type.isEmpty()
                || type.equals("application/graphql")) {
            return v.visit("body", "body", body.text(), Target.PARAMETER);
        }
        return null;
    }

    /** Every string value and field name of a JSON document, streaming; named by the nearest field. */
    public static Detection json(RequestBody body, Visitor v) {
        Deque<String> names = new ArrayDeque<>();
        String field = "body";
        try (JsonParser p = JSON.createParser(body.stream())) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> {
                        field = name(p.currentName());
                        Detection d = v.visit("body", field, p.currentName(), Target.NAME);
                        if (d != null) {
                            return d;
                        }
                    }
                    case START_OBJECT, START_ARRAY -> names.push(field);
                    case END_OBJECT, END_ARRAY -> field = names.isEmpty() ? "body" : names.pop();
                    case VALUE_STRING -> {
                        Detection d = v.visit("body", field, p.getText(), Target.PARAMETER);
                        if (d != null) {
                            return d;
                        }
                    }
                    default -> {
                        // numbers, booleans, null: nothing to inspect
                    }
                }
            }
            return null;
        } catch (IOException | RuntimeException e) {
            // Not JSON after all (or truncated): the application will refuse it, but a lenient one
            // might not, so the text is inspected as a whole.
            return v.visit("body", "body", body.text(), Target.PARAMETER);
        }
    }

    /** The text parts of a multipart body and the file names of the others. */
    public static Detection multipart(RequestBody body, String boundary, Visitor v) {
        String text = new String(readAll(body), StandardCharsets.ISO_8859_1); // bytes 1:1, linear
        String delimiter = "--" + boundary;
        int pos = text.indexOf(delimiter);
        while (pos >= 0) {
            int headersStart = pos + delimiter.length();
            if (text.startsWith("--", headersStart)) {
                break;
            }
            int headersEnd = text.indexOf("\r\n\r\n", headersStart);
            int sepLen = 4;
            if (headersEnd < 0) {
                headersEnd = text.indexOf("\n\n", headersStart);
                sepLen = 2;
            }
            if (headersEnd < 0) {
                break;
            }
            int next = text.indexOf(delimiter, headersEnd + sepLen);
            int contentEnd = next < 0 ? text.length() : next;
            if (contentEnd >= 2 && text.startsWith("\r\n", contentEnd - 2)) {
                contentEnd -= 2;
            }
            String headers = text.substring(headersStart, headersEnd);
            String name = name(dispositionParameter(headers, "name"));
            String filename = dispositionParameter(headers, "filename");
            String partType = partContentType(headers);
            if (filename != null) {
                Detection d = v.visit("body", name, utf8(filename), Target.PARAMETER);
                if (d != null) {
                    return d;
                }
            }
            boolean textual = textualPart(partType, filename != null);
            if (textual && contentEnd > headersEnd + sepLen) {
                String content = utf8(text.substring(headersEnd + sepLen, contentEnd));
                Detection d = partType != null && partType.contains("json")
                        ? json(RequestBody.of("application/json", content.getBytes(StandardCharsets.UTF_8),
                                content.getBytes(StandardCharsets.UTF_8).length, false), v)
                        : v.visit("body", name, content, Target.PARAMETER);
                if (d != null) {
                    return d;
                }
            }
            pos = next;
        }
        return null;
    }

    /**
     * Whether the content of a multipart part is inspected: text, JSON and XML parts, and a part
     * without a content type unless it is a file; other files are inspected by name only.
     *
     * @param partType the part's content type, lower case, or {@code null}
     */
    public static boolean textualPart(String partType, boolean file) {
        return partType == null ? !file : partType.startsWith("text/") || partType.contains("json") || partType.contains("xml");
    }

    private static byte[] readAll(RequestBody body) {
        byte[] b = new byte[body.length()];
        for (int i = 0; i < b.length; i++) {
            b[i] = body.byteAt(i);
        }
        return b;
    }

    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String dispositionParameter(String headers, String parameter) {
        for (String line : headers.split("\r?\n")) {
            if (!line.regionMatches(true, 0, "content-disposition:", 0, 20)) {
                continue;
            }
            for (String part : line.substring(20).split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(parameter)) {
                    String val = part.substring(eq + 1).trim();
                    return val.length() >= 2 && val.startsWith("\"") && val.endsWith("\"") ? val.substring(1, val.length() - 1) : val;
                }
            }
        }
        return null;
    }

    private static String partContentType(String headers) {
        for (String line : headers.split("\r?\n")) {
            if (line.regionMatches(true, 0, "content-type:", 0, 13)) {
                return line.substring(13).trim().toLowerCase(java.util.Locale.ROOT);
            }
        }
        return null;
    }

    private static boolean printable(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /** A field name as reported: printable, at most 64 characters (it may itself be hostile). */
    static String name(String name) {
        if (name == null) {
            return "";
        }
        if (name.length() <= MAX_NAME && printable(name)) {
            return name; // the usual case: nothing to replace, nothing to copy
        }
        StringBuilder b = new StringBuilder(Math.min(name.length(), MAX_NAME));
        for (int i = 0; i < name.length() && b.length() < MAX_NAME; i++) {
            char c = name.charAt(i);
            b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
        }
        return b.toString();
    }
}
