package io.aegis.gateway.masking.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Masks a UTF-8 JSON document held whole in memory by splicing: Jackson's blocking parser reads
 * the tokens (and validates the document) and only the values that change are re-encoded; every
 * other byte — unmasked strings with their escapes, numbers, whitespace, member names — is
 * written as it came. Strings that neither a rule nor a detector reads are skipped by the parser
 * without being decoded, so masking a document costs less than copying it through a generator.
 *
 * <p>Two steps: {@link #plan} reads the document and answers the masked length (nothing is
 * written, so a document that turns out invalid writes nothing); {@link #write} (in one call up
 * to 16 KiB) or {@link #toByteArray} then produce it. Not thread-safe: one document at a time
 * ({@link MaskingRules#splicer()} lends them out).
 */
public final class JsonSplicer {

    private final MaskingCursor cursor;
    // Per replaced value: its start and end in the source, and the end of its bytes in repl.
    private int[] spans = new int[48];
    private int count;
    private byte[] repl = new byte[256];
    private int replLength;
    private long planned;
    // A masked document up to this size is assembled here and written in one call: servlet
    // containers pay for each write (locking, aggregation), and a small body has many segments.
    private static final int ASSEMBLED = 16 * 1024;
    private byte[] assembled;

    JsonSplicer(MaskingRules rules) {
        this.cursor = new MaskingCursor(rules);
    }

    /** Forgets the document, keeping the caches of member names, and buffers only of ordinary size. */
    void reset() {
        cursor.reset();
        count = 0;
        replLength = 0;
        if (repl.length > KEPT_BYTES) {
            repl = new byte[256]; // one huge masked value must not stay on the thread for good
        }
        if (spans.length > KEPT_BYTES / 4) {
            spans = new int[48];
        }
    }

    /** Buffers up to this size stay with an idle splicer. */
    private static final int KEPT_BYTES = 64 * 1024;

    /**
     * Reads the document in {@code src[0, n)} and works out its masked values.
     *
     * @return the length of the masked document
     * @throws IOException when the bytes are not one or more complete JSON values in UTF-8
     */
    public long plan(JsonFactory factory, byte[] src, int n) throws IOException {
        reset();
        if (!utf8(src, n)) {
            throw new IOException("the JSON document is not UTF-8");
        }
        if (!wellFormed(src, n)) {
            // Jackson decodes some ill-formed sequences (overlong forms, values past U+10FFFF)
            // into other characters than a lenient client would: bytes passed on as they came
            // could then carry a member name or a value the rules never saw.
            throw new IOException("the JSON document is not well-formed UTF-8");
        }
        try (JsonParser p = factory.createParser(src, 0, n)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case FIELD_NAME -> cursor.member(p.currentName());
                    case START_OBJECT -> cursor.open(false);
                    case START_ARRAY -> cursor.open(true);
                    case END_OBJECT, END_ARRAY -> cursor.close();
                    default -> {
                        CharSink r = cursor.replacement(t, p);
                        if (r != null) {
                            replace(p, t, src, n, r);
                        }
                    }
                }
            }
        }
        if (!cursor.atRoot()) {
            throw new IOException("unexpected end of input");
        }
        long length = n;
        for (int k = 0, from = 0; k < count; k++) {
            length += spans[3 * k + 2] - from - (spans[3 * k + 1] - spans[3 * k]);
            from = spans[3 * k + 2];
        }
        planned = length;
        return length;
    }

    /** Writes the document planned last, {@code src[0, n)} with its masked values, to {@code out}. */
    public void write(byte[] src, int n, OutputStream out) throws IOException {
        if (count == 0) {
            out.write(src, 0, n);
            return;
        }
        if (planned <= ASSEMBLED) {
            if (assembled == null) {
                assembled = new byte[ASSEMBLED];
            }
            fill(src, n, assembled);
            out.write(assembled, 0, (int) planned);
            return;
        }
        int at = 0;
        int from = 0;
        for (int k = 0; k < count; k++) {
            int start = spans[3 * k];
            out.write(src, at, start - at);
            out.write(repl, from, spans[3 * k + 2] - from);
            at = spans[3 * k + 1];
            from = spans[3 * k + 2];
        }
        out.write(src, at, n - at);
    }

    /** The document planned last, masked, as a new array. */
    public byte[] toByteArray(byte[] src, int n) {
        byte[] out = new byte[Math.toIntExact(planned)];
        fill(src, n, out);
        return out;
    }

    /** Copies the masked document into {@code out}, which has room for it. */
    private void fill(byte[] src, int n, byte[] out) {
        int at = 0;
        int from = 0;
        int o = 0;
        for (int k = 0; k < count; k++) {
            int start = spans[3 * k];
            System.arraycopy(src, at, out, o, start - at);
            o += start - at;
            int r = spans[3 * k + 2] - from;
            System.arraycopy(repl, from, out, o, r);
            o += r;
            at = spans[3 * k + 1];
            from = spans[3 * k + 2];
        }
        System.arraycopy(src, at, out, o, n - at);
    }

    /** Records that the value token {@code t} is replaced by the JSON string of {@code r}. */
    private void replace(JsonParser p, JsonToken t, byte[] src, int n, CharSink r) {
        long at = p.currentTokenLocation().getByteOffset();
        int start = (int) at;
        int end;
        if (t == JsonToken.VALUE_STRING) {
            if (at < 0 || at >= n || src[start] != '"') {
                throw new IllegalStateException("string value not found at byte " + at);
            }
            end = start + 1;
            while (end < n && src[end] != '"') {
                end += src[end] == '\\' ? 2 : 1; // the parser validated the escapes
            }
            end++;
        } else {
            if (at < 0 || at >= n || !numeric(src[start])) {
                throw new IllegalStateException("number not found at byte " + at);
            }
            end = start + 1;
            while (end < n && numeric(src[end])) {
                end++;
            }
        }
        if (end > n) {
            throw new IllegalStateException("value at byte " + at + " runs past the document");
        }
        if (3 * count + 3 > spans.length) {
            spans = Arrays.copyOf(spans, spans.length * 2);
        }
        spans[3 * count] = start;
        spans[3 * count + 1] = end;
        encode(r.chars(), r.length());
        spans[3 * count + 2] = replLength;
        count++;
    }

    private static boolean numeric(byte b) {
        return b >= '0' && b <= '9' || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Appends {@code s[0, len)} to {@link #repl} as a quoted JSON string in UTF-8. */
    private void encode(char[] s, int len) {
        if (replLength + 6 * len + 2 > repl.length) {
            repl = Arrays.copyOf(repl, Math.max(repl.length * 2, replLength + 6 * len + 2));
        }
        byte[] b = repl;
        int o = replLength;
        b[o++] = '"';
        for (int i = 0; i < len; i++) {
            char c = s[i];
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    b[o++] = '\\';
                    b[o++] = (byte) c;
                } else if (c < 0x20) {
                    o = escape(b, o, c);
                } else {
                    b[o++] = (byte) c;
                }
            } else if (c < 0x800) {
                b[o++] = (byte) (0xC0 | c >> 6);
                b[o++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s[i + 1])) {
                int cp = Character.toCodePoint(c, s[++i]);
                b[o++] = (byte) (0xF0 | cp >> 18);
                b[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
                b[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
                b[o++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                o = escape(b, o, c); // a lone surrogate (from an escape in the source) has no UTF-8 form
            } else {
                b[o++] = (byte) (0xE0 | c >> 12);
                b[o++] = (byte) (0x80 | c >> 6 & 0x3F);
                b[o++] = (byte) (0x80 | c & 0x3F);
            }
        }
        b[o++] = '"';
        replLength = o;
    }

    private static int escape(byte[] b, int o, char c) {
        b[o++] = '\\';
        b[o++] = 'u';
        b[o++] = HEX[c >> 12 & 0xF];
        b[o++] = HEX[c >> 8 & 0xF];
        b[o++] = HEX[c >> 4 & 0xF];
        b[o++] = HEX[c & 0xF];
        return o;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * Whether {@code b[0, n)} is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates,
     * nothing past U+10FFFF, no stray or missing continuation bytes. ASCII goes eight bytes at a time.
     */
    public static boolean wellFormed(byte[] b, int n) {
        int i = 0;
        while (i < n) {
            if (i + 8 <= n && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
                continue;
            }
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
            } else if (c >= 0xC2 && c <= 0xDF) {
                if (i + 1 >= n || !continuation(b[i + 1])) {
                    return false;
                }
                i += 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                if (i + 2 >= n || !second(c, b[i + 1] & 0xFF) || !continuation(b[i + 2])) {
                    return false;
                }
                i += 3;
            } else if (c >= 0xF0 && c <= 0xF4) {
                if (i + 3 >= n || !second(c, b[i + 1] & 0xFF) || !continuation(b[i + 2]) || !continuation(b[i + 3])) {
                    return false;
                }
                i += 4;
            } else {
                return false; // a continuation byte without a lead, C0, C1, F5..FF
            }
        }
        return true;
    }

    private static boolean continuation(byte b) {
        return (b & 0xC0) == 0x80;
    }

    /** The allowed second byte after lead {@code c}: the ranges that rule out overlongs, surrogates and > U+10FFFF. */
    private static boolean second(int c, int d) {
        return switch (c) {
            case 0xE0 -> d >= 0xA0 && d <= 0xBF;
            case 0xED -> d >= 0x80 && d <= 0x9F;
            case 0xF0 -> d >= 0x90 && d <= 0xBF;
            case 0xF4 -> d >= 0x80 && d <= 0x8F;
            default -> d >= 0x80 && d <= 0xBF;
        };
    }

    /**
     * {@code false} when the bytes are JSON in UTF-16 or UTF-32 (RFC 8259 §8.1 allows only UTF-8
     * between systems, but Jackson would read those too): a zero among the first two bytes, or a
     * UTF-16 byte order mark.
     */
    public static boolean utf8(byte[] b, int n) {
        if (n < 2) {
            return n == 0 || b[0] != 0;
        }
        int b0 = b[0] & 0xFF;
        int b1 = b[1] & 0xFF;
        return b0 != 0 && b1 != 0 && !(b0 == 0xFE && b1 == 0xFF) && !(b0 == 0xFF && b1 == 0xFE);
    }
}
