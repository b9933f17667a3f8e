package io.aegis.gateway.masking;

import io.aegis.gateway.masking.internal.BufferedMaskingStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Masks the body of one kind of response: what adapters use once the pipeline has said a
 * response must be masked ({@link MaskingSettings#maskerFor}). The adapter asks for the
 * {@link #treatment} of the response's content type and encoding, then writes the body through
 * {@link #wrap}; it drops any {@code Content-Length} the application set, since masking changes
 * the length.
 *
 * <ul>
 *   <li>JSON ({@code application/json}, {@code application/*+json}, {@code text/json},
 *       {@code application/x-ndjson}): masked by the {@link JsonMasker}; UTF-8 streams, other
 *       charsets are buffered.</li>
 *   <li>{@code text/plain}: when the policy has detectors, buffered and scanned.</li>
 *   <li>Anything else (HTML, binary, ...): passed through unchanged.</li>
 *   <li>{@code Content-Encoding: gzip}: decompressed, masked and compressed again (buffered);
 *       any other encoding on a body that needs masking is {@link Treatment#REFUSE refused}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class ResponseMasker {

    /** What happens to a response body. */
    public enum Treatment {
        /** Sent unchanged. */
        PASS,
        /** Masked as JSON. */
        JSON,
        /** Masked as text by the detectors. */
        TEXT,
        /** Needs masking but cannot be masked (unknown content encoding): answer an error instead. */
        REFUSE
    }

    private final JsonMasker json;
    private final PiiScanner text;
    private final int maxBufferBytes;

    ResponseMasker(MaskingPolicy policy, int maxBufferBytes) {
        this.json = JsonMasker.of(policy);
        this.text = policy.detectors().isEmpty() ? null : PiiScanner.of(policy.detectors());
        this.maxBufferBytes = maxBufferBytes;
    }

    /** The effective policy: the service default with the route's rules added. */
    public MaskingPolicy policy() {
        return json.policy();
    }

    public JsonMasker json() {
        return json;
    }

    /** What is done to a body of this content type and encoding (either may be {@code null}). */
    public Treatment treatment(String contentType, String contentEncoding) {
        Treatment kind = kind(contentType);
        if (kind == Treatment.PASS) {
            return kind;
        }
        String enc = encoding(contentEncoding);
        return enc.isEmpty() || enc.equals("gzip") ? kind : Treatment.REFUSE;
    }

    /**
     * The stream to write the body through; {@code out} itself is answered for
     * {@link Treatment#PASS} and {@link Treatment#REFUSE} (wrapped so that {@link MaskingOutputStream#finish()} does nothing).
     */
    public MaskingOutputStream wrap(OutputStream out, String contentType, String contentEncoding) {
        return wrap(out, contentType, contentEncoding, null);
    }

    /**
     * As {@link #wrap(OutputStream, String, String)}; {@code length} (may be {@code null}) is told
     * the length of a masked body that is known whole before it is written (a small JSON document,
     * any buffered body), so that the adapter can declare it in {@code Content-Length} rather than
     * send chunks. A body masked as it streams is never announced.
     */
    public MaskingOutputStream wrap(OutputStream out, String contentType, String contentEncoding, LongConsumer length) {
        Objects.requireNonNull(out, "out");
        Treatment t = treatment(contentType, contentEncoding);
        if (t == Treatment.PASS || t == Treatment.REFUSE) {
            return new Passing(out);
        }
        Charset charset = charset(contentType, StandardCharsets.UTF_8);
        boolean gzip = encoding(contentEncoding).equals("gzip");
        if (t == Treatment.JSON && !gzip && charset.equals(StandardCharsets.UTF_8)) {
            return json.stream(out, length);
        }
        BufferedMaskingStream.Transform inner = t == Treatment.JSON ? body -> maskJson(body, charset)
                : body -> maskText(body, charset);
        BufferedMaskingStream.Transform transform = gzip ? body -> gzip(inner.apply(gunzip(body))) : inner;
        return new BufferedMaskingStream(out, maxBufferBytes, transform, length);
    }

    private byte[] maskJson(byte[] body, Charset charset) throws IOException {
        if (charset.equals(StandardCharsets.UTF_8)) {
            return json.mask(body);
        }
        CharArrayWriter w = new CharArrayWriter(body.length + 64);
        json.mask(new InputStreamReader(new ByteArrayInputStream(body), charset), w);
        return w.toString().getBytes(charset);
    }

    private byte[] maskText(byte[] body, Charset charset) {
        String s = new String(body, charset);
        String masked = text == null ? s : text.mask(s);
        return masked == s ? body : masked.getBytes(charset);
    }

    private byte[] gunzip(byte[] body) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
            byte[] buf = new byte[8192];
            int r;
            while ((r = in.read(buf)) > 0) {
                if (out.size() + r > maxBufferBytes) {
                    throw new IOException("decompressed body exceeds " + maxBufferBytes + " bytes");
                }
                out.write(buf, 0, r);
            }
            return out.toByteArray();
        }
    }

    private static byte[] gzip(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 32);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(body);
        }
        return out.toByteArray();
    }

    private Treatment kind(String contentType) {
        if (contentType == null) {
            return Treatment.PASS;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        int semi = ct.indexOf(';');
        String media = (semi < 0 ? ct : ct.substring(0, semi)).trim();
        if (media.equals("application/json") || media.equals("text/json") || media.equals("application/x-ndjson")
                || media.startsWith("application/") && media.endsWith("+json")) {
            return Treatment.JSON;
        }
        if (media.equals("text/plain") && text != null) {
            return Treatment.TEXT;
        }
        return Treatment.PASS;
    }

    private static String encoding(String contentEncoding) {
        if (contentEncoding == null) {
            return "";
        }
        String e = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return e.equals("identity") ? "" : e.equals("x-gzip") ? "gzip" : e;
    }

    private static Charset charset(String contentType, Charset fallback) {
        String ct = contentType.toLowerCase(Locale.ROOT);
        int i = ct.indexOf("charset=");
        if (i < 0) {
            return fallback;
        }
        String name = contentType.substring(i + 8).trim();
        int end = name.indexOf(';');
        name = (end < 0 ? name : name.substring(0, end)).trim().replace("\"", "");
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    @Override
    public String toString() {
        return "ResponseMasker[" + json.policy() + "]";
    }

    /** A pass-through whose finish does nothing. */
    private static final class Passing extends MaskingOutputStream {
        private final OutputStream out;

        Passing(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void finish() {
            // everything was written as it came; flushing is the container's business
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
