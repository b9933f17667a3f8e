package io.aegis.gateway.masking;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that masks what is written to it before it reaches the stream it wraps.
 * {@link #finish()} completes the masking (the last tokens or the buffered body are written)
 * without closing the wrapped stream; {@link #close()} finishes and closes it.
 *
 * <p>A write fails with an {@link IOException} when the body cannot be masked (a JSON body that is
 * not valid JSON, a buffered body over the size limit): nothing unmasked is written after that.
 * Not thread-safe, like any output stream of one response.
 */
public abstract class MaskingOutputStream extends OutputStream {

    /**
     * Writes what is still pending to the wrapped stream, without flushing it (so that a container
     * holding a small body whole can still send it with its length); idempotent.
     *
     * @throws IOException when the body could not be masked (also on every call after a failed write)
     */
    public abstract void finish() throws IOException;
}
