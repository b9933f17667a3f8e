package io.aegis.gateway.masking.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.io.SerializedString;
import io.aegis.gateway.masking.MaskingOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Streams UTF-8 JSON through the masking rules as it is written. The first {@value #HOLD} bytes
 * are held: a body that ends within them (most API responses) is masked in one pass by the
 * {@link JsonSplicer}, which keeps every byte but the masked values and knows the masked length
 * before it writes any. A longer body switches to Jackson's non-blocking parser, fed a held
 * buffer at a time, and every complete token is copied (masked) by the {@link JsonCopier} to a
 * generator over the wrapped stream as it arrives, so memory stays bounded by the buffer and the
 * longest single token.
 *
 * <p>A body masked in one pass is written to the wrapped stream when it is complete, after its
 * length was given to the {@code length} callback (the adapter sets {@code Content-Length} from it,
 * so a masked body that fits is not sent in chunks). The generator never flushes the wrapped
 * stream by itself: only {@link #flush()} does, when the application asks, and that starts
 * streaming. {@link #finish()} hands the parser's and the generator's buffers back to Jackson's
 * recycler.
 */
public final class NonBlockingJsonStream extends MaskingOutputStream {

    /** Bytes held before streaming starts, and the size of each chunk fed after that. */
    static final int HOLD = 128 * 1024;

    private static final SerializedString ROOT_SEPARATOR = new SerializedString("\n");

    private final JsonFactory factory;
    private final OutputStream out;
    private final LongConsumer length;
    private final MaskingRules rules;
    private JsonCopier copier;
    private JsonSplicer splicer;
    private byte[] buf = new byte[0];
    private int n;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private JsonGenerator generator;
    private boolean finished;
    private boolean failed;

    /**
     * @param length told the masked length of a body masked in one pass, before it is written;
     *               {@code null} when nobody needs it
     */
    public NonBlockingJsonStream(JsonFactory factory, MaskingRules rules, OutputStream out, LongConsumer length) {
        this.factory = factory;
        this.out = out;
        this.length = length;
        this.rules = rules;
    }

    @Override
    public void write(int b) throws IOException {
        check();
        if (n == buf.length) {
            room(1);
        }
        buf[n++] = (byte) b;
    }

    /** Makes room when the held bytes fill the buffer: a bigger buffer up to a chunk, then feeding. */
    private void room(int wanted) throws IOException {
        if (buf.length < HOLD) {
            buf = Arrays.copyOf(buf, Math.min(HOLD, Math.max(Math.max(1024, buf.length * 2), n + wanted)));
        } else {
            feed();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        while (len > 0) {
            if (n == buf.length) {
                room(len);
            }
            int k = Math.min(len, buf.length - n);
            System.arraycopy(b, off, buf, n, k);
            n += k;
            off += k;
            len -= k;
        }
    }

    private void check() throws IOException {
        if (finished || failed) {
            throw new IOException(failed ? "the response could not be masked; nothing more is written"
                    : "the masked response is finished");
        }
    }

    /** Feeds the held bytes to the non-blocking parser, started (with its generator) on the first call. */
    private void feed() throws IOException {
        if (n == 0) {
            return;
        }
        try {
            if (parser == null) {
                parser = factory.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
                copier = rules.copier();
                generator = factory.createGenerator(out);
                generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                generator.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
                // A document cut short by a failure must stay cut: never complete it on close.
                generator.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
                generator.setRootValueSeparator(ROOT_SEPARATOR);
            }
            feeder.feedInput(buf, 0, n);
            n = 0;
            drain();
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /** Copies (masked) every token the parser has complete. */
    private void drain() throws IOException {
        JsonToken t;
        while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
            copier.copy(t, parser, generator);
        }
    }

    private IOException failure(Exception e) {
        failed = true;
        release();
        return new IOException("the response body is not valid JSON and cannot be masked: " + e.getClass().getSimpleName(), e);
    }

    /**
     * Masks what was written so far and flushes it to the wrapped stream: the application asked for
     * it (a streamed response), so streaming starts here if it had not yet.
     */
    @Override
    public void flush() throws IOException {
        if (finished || failed) {
            return;
        }
        feed();
        if (generator != null) {
            generator.flush();
        }
        out.flush();
    }

    /** Writes the rest of the masked document to the wrapped stream, without flushing it. */
    @Override
    public void finish() throws IOException {
        if (failed) {
            throw new IOException("the response could not be masked");
        }
        if (finished) {
            return;
        }
        try {
            if (parser == null) {
                // The whole body is held: masked in one pass, its length known before a byte is written.
                splicer = rules.splicer();
                long masked = splicer.plan(factory, buf, n);
                try {
                    if (length != null) {
                        length.accept(masked);
                    }
                    splicer.write(buf, n, out);
                } catch (IOException | RuntimeException e) {
                    failed = true; // the body was fine; its target failed (a client gone, a closed stream)
                    throw e;
                }
            } else {
                feed();
                feeder.endOfInput();
                drain();
                if (!copier.atRoot()) {
                    throw new IOException("unexpected end of input");
                }
                generator.close();
            }
        } catch (IOException | RuntimeException e) {
            if (failed) {
                throw e;
            }
            throw failure(e);
        } finally {
            release();
        }
        finished = true;
    }

    /**
     * Hands the parser's buffers back to Jackson (the generator's go back when it is closed) and the
     * copier back to the rules.
     */
    private void release() {
        if (splicer != null) {
            rules.done(splicer);
            splicer = null;
        }
        if (copier != null) {
            rules.done(copier);
            copier = null;
        }
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // a byte-array parser has nothing to close but its buffers
            }
        }
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
