package io.aegis.gateway.masking.internal;

import io.aegis.gateway.masking.MaskingOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/**
 * Collects the whole body (at most {@code maxBytes}), then writes its transformation: for bodies
 * that cannot be masked as they stream (text, JSON in another charset than UTF-8, gzip).
 */
public final class BufferedMaskingStream extends MaskingOutputStream {

    /** A whole-body transformation. */
    @FunctionalInterface
    public interface Transform {
        byte[] apply(byte[] body) throws IOException;
    }

    private final OutputStream out;
    private final int maxBytes;
    private final Transform transform;
    private final LongConsumer length;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);
    private boolean finished;
    private boolean failed;

    /** @param length told the transformed body's length before it is written; may be {@code null} */
    public BufferedMaskingStream(OutputStream out, int maxBytes, Transform transform, LongConsumer length) {
        this.out = out;
        this.maxBytes = maxBytes;
        this.transform = transform;
        this.length = length;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (finished || failed) {
            throw new IOException(failed ? "the response could not be masked; nothing more is written"
                    : "the masked response is finished");
        }
        if ((long) body.size() + len > maxBytes) {
            failed = true;
            body.reset();
            throw new IOException("the response body exceeds " + maxBytes
                    + " bytes and must be buffered to be masked (aegis.masking.max-buffer-bytes)");
        }
        body.write(b, off, len);
    }

    @Override
    public void flush() {
        // Nothing can be written before the whole body is known.
    }

    @Override
    public void finish() throws IOException {
        if (failed) {
            throw new IOException("the response could not be masked");
        }
        if (finished) {
            return;
        }
        finished = true;
        byte[] masked;
        try {
            masked = transform.apply(body.toByteArray());
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new IOException("the response body cannot be masked: " + e.getClass().getSimpleName(), e);
        }
        if (length != null) {
            length.accept(masked.length);
        }
        out.write(masked);
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            out.close();
        }
    }
}
