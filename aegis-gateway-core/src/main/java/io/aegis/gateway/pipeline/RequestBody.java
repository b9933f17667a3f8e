package io.aegis.gateway.pipeline;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The first bytes of a request body, buffered by the adapter for inspection (see
 * {@link GatewayRequest#body(int)}). The adapter replays every byte it buffered, followed by the
 * rest of the body, to the application: reading the body here never takes it away.
 *
 * <p>Immutable and thread-safe; the bytes are never exposed for writing.
 */
public final class RequestBody {

    private static final byte[] NONE = new byte[0];

    private final String contentType;
    private final byte[] bytes;
    private final int length;
    private final boolean truncated;

    private RequestBody(String contentType, byte[] bytes, int length, boolean truncated) {
        this.contentType = contentType;
        this.bytes = bytes;
        this.length = length;
        this.truncated = truncated;
    }

    /**
     * A body view over {@code length} buffered bytes (the array is not copied: adapters hand over
     * a buffer they no longer write to).
     *
     * @param truncated whether more bytes followed that were not buffered
     */
    public static RequestBody of(String contentType, byte[] bytes, int length, boolean truncated) {
        if (length < 0 || length > bytes.length) {
            throw new IllegalArgumentException("length: " + length + " (expected: 0.." + bytes.length + ")");
        }
        return new RequestBody(contentType, bytes, length, truncated);
    }

    /** A request without a body. */
    public static RequestBody empty(String contentType) {
        return new RequestBody(contentType, NONE, 0, false);
    }

    /** The {@code Content-Type} header as sent, or {@code null}. */
    public String contentType() {
        return contentType;
    }

    /** The media type in lower case without parameters ({@code application/json}), or {@code ""}. */
    public String mediaType() {
        if (contentType == null) {
            return "";
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /** The value of a {@code Content-Type} parameter ({@code charset}, {@code boundary}), or {@code null}. */
    public String parameter(String name) {
        if (contentType == null) {
            return null;
        }
        for (String part : contentType.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equalsIgnoreCase(name)) {
                String v = part.substring(eq + 1).trim();
                return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
            }
        }
        return null;
    }

    /** The charset of the body: the {@code charset} parameter if it is valid, else UTF-8. */
    public Charset charset() {
        String cs = parameter("charset");
        try {
            return cs == null ? StandardCharsets.UTF_8 : Charset.forName(cs);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** How many bytes are buffered here. */
    public int length() {
        return length;
    }

    /** {@code true} when the body is longer than what was buffered. */
    public boolean truncated() {
        return truncated;
    }

    /** The buffered bytes as a stream. */
    public InputStream stream() {
        return new ByteArrayInputStream(bytes, 0, length);
    }

    /** The buffered bytes decoded with {@link #charset()}. */
    public String text() {
        return new String(bytes, 0, length, charset());
    }

    /** The byte at {@code index}. */
    public byte byteAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return bytes[index];
    }

    @Override
    public String toString() {
        return "RequestBody[" + mediaType() + ", " + length + " bytes" + (truncated ? ", truncated" : "") + "]";
    }
}
