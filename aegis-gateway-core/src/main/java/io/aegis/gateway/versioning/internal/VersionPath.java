package io.aegis.gateway.versioning.internal;

import io.aegis.gateway.versioning.ApiVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * A request path seen against the versioned prefix: where the version segment is (or would be)
 * and which version it names. Works on decoded paths for routing and on percent-encoded paths for
 * what goes back into request URIs and {@code Link} headers, and never rewrites a raw path whose
 * segments do not line up with the decoded one (an encoded {@code /}, path parameters).
 *
 * <p>Immutable.
 */
public final class VersionPath {

    private final String[] segments;
    private final int index;
    private final String version;

    private VersionPath(String[] segments, int index, String version) {
        this.segments = segments;
        this.index = index;
        this.version = version;
    }

    /**
     * Parses a decoded path.
     *
     * @param prefix the literal segments the versioned part starts after ({@code [api]})
     * @return {@code null} when the path is not under the prefix
     */
    public static VersionPath parse(String path, List<String> prefix) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        String[] segs = path.substring(1).split("/", -1);
        if (segs.length < prefix.size()) {
            return null;
        }
        for (int i = 0; i < prefix.size(); i++) {
            if (!segs[i].equals(prefix.get(i))) {
                return null;
            }
        }
        int idx = prefix.size();
        String v = idx < segs.length && ApiVersion.isValidId(segs[idx]) ? segs[idx] : null;
        return new VersionPath(segs, idx, v);
    }

    /**
     * The literal version segment of a route's path template under the prefix, or {@code null}
     * (no such segment, or a template parameter there).
     */
    public static String templateVersion(String template, List<String> prefix) {
        VersionPath p = parse(template, prefix);
        return p == null ? null : p.version;
    }

    /** The template with its version segment removed, parameters reduced to {@code {}}, for comparing routes across versions. */
    public static String unversionedShape(String template, List<String> prefix) {
        VersionPath p = parse(template, prefix);
        String t = template;
        if (p != null && p.version != null) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < p.segments.length; i++) {
                if (i != p.index) {
                    sb.append('/').append(p.segments[i]);
                }
            }
            t = sb.length() == 0 ? "/" : sb.toString();
        }
        return t.replaceAll("\\{[^}]*}", "{}");
    }

    /** The canonical version id of the version segment, or {@code null} when the path names none. */
    public String version() {
        return version;
    }

    /** {@code true} when the path has a version segment. */
    public boolean versioned() {
        return version != null;
    }

    /** The decoded path with its version segment set to {@code id} (replaced, or inserted after the prefix). */
    public String with(String id) {
        return join(withSegments(segments, id));
    }

    /**
     * The raw (percent-encoded) path with its version segment set to {@code id}, or {@code null}
     * when the raw path's segments do not line up with the decoded path's.
     */
    public String rawWith(String rawPath, String id) {
        String[] raw = alignedRaw(rawPath);
        return raw == null ? null : join(withSegments(raw, id));
    }

    /**
     * A relative reference that, resolved against the raw request path (RFC 3986 §5.2), gives the
     * same path with its version set to {@code id}: independent of any context path the
     * application is deployed under. {@code null} when the raw path does not line up.
     */
    public String relativeReference(String rawPath, String id) {
        String[] raw = alignedRaw(rawPath);
        if (raw == null) {
            return null;
        }
        String[] target = withSegments(raw, id);
        int dir = raw.length - 1; // segments of the base's directory
        int common = 0;
        while (common < dir && common < target.length && raw[common].equals(target[common])) {
            common++;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < dir; i++) {
            sb.append("../");
        }
        for (int i = common; i < target.length; i++) {
            sb.append(target[i]);
            if (i < target.length - 1) {
                sb.append('/');
            }
        }
        if (sb.length() == 0) {
            return "./";
        }
        String first = common < target.length ? target[common] : "";
        if (sb.charAt(0) != '.' && first.indexOf(':') >= 0) {
            sb.insert(0, "./"); // a first segment with ':' would read as a scheme
        }
        return sb.toString();
    }

    private String[] withSegments(String[] base, String id) {
        if (version != null) {
            String[] out = base.clone();
            out[index] = id;
            return out;
        }
        String[] out = new String[base.length + 1];
        System.arraycopy(base, 0, out, 0, index);
        out[index] = id;
        System.arraycopy(base, index, out, index + 1, base.length - index);
        return out;
    }

    private String[] alignedRaw(String rawPath) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        String[] raw = rawPath.substring(1).split("/", -1);
        if (raw.length != segments.length) {
            return null;
        }
        int check = version != null ? index + 1 : Math.min(index, raw.length);
        for (int i = 0; i < check; i++) {
            if (!segments[i].equals(decode(raw[i]))) {
                return null;
            }
        }
        return raw;
    }

    private static String join(String[] segs) {
        StringBuilder sb = new StringBuilder();
        for (String s : segs) {
            sb.append('/').append(s);
        }
        return sb.length() == 0 ? "/" : sb.toString();
    }

    /** Percent-decodes one segment as UTF-8; {@code null} when malformed. */
    static String decode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                int cp = s.codePointAt(i);
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
                i += Character.charCount(cp) - 1;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
