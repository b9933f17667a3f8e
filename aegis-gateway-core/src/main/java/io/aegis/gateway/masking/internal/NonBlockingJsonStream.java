package io.aegis.gateway.masking.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.io.SerializedString;
import io.aegis.gateway.masking.MaskingOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.LongConsumer;

/**
 * Streams UTF-8 JSON through the masking copier as it is written. The first {@value #CHUNK} bytes
 * are held: a body that ends within them (most API responses) is masked in one pass by Jackson's
 * blocking byte-array parser, the cheapest way through. A longer body switches to the
 * non-blocking parser, fed chunk by chunk, and every complete token is copied (masked) to a
 * generator over the wrapped stream as it arrives, so memory stays bounded by the chunk size and
 * the longest single token.
 *
 * <p>A body masked in one pass is written to the wrapped stream when it is complete, after its
 * length was given to the {@code length} callback (the adapter sets {@code Content-Length} from it, so a small
 * masked body is not sent in chunks). The generator never flushes the wrapped stream by itself:
 * only {@link #flush()} does, when the application asks, and that starts streaming.
 * {@link #finish()} hands the parser's and the generator's buffers back to Jackson's recycler.
 */
public final class NonBlockingJsonStream extends MaskingOutputStream {

    /** Bytes held before streaming starts, and the size of each chunk fed after that. */
    static final int CHUNK = 64 * 1024;

    /** Up to this size, the generator's own buffer holds the masked body (Jackson's is 8000 bytes). */
    private static final int IN_GENERATOR = 6 * 1024;

    private static final SerializedString ROOT_SEPARATOR = new SerializedString("\n");

    private final JsonFactory factory;
    private final OutputStream out;
    private final LongConsumer length;
    private final MaskingRules rules;
    private JsonCopier copier;
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
        if (buf.length < CHUNK) {
            buf = Arrays.copyOf(buf, Math.min(CHUNK, Math.max(Math.max(512, buf.length * 2), n + wanted)));
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

    /** The generator, made over {@code target} on first use. */
    private JsonGenerator generator(OutputStream target) throws IOException {
        if (generator == null) {
            generator = factory.createGenerator(target);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            generator.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            // A document cut short by a failure must stay cut: never complete it on close.
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            generator.setRootValueSeparator(ROOT_SEPARATOR);
        }
        return generator;
    }

    /** Feeds the held bytes to the non-blocking parser (started on the first call). */
    private void feed() throws IOException {
        if (n == 0) {
            return;
        }
        try {
            if (parser == null) {
                parser = factory.createNonBlockingByteArrayParser();
                feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
            }
            feeder.feedInput(buf, 0, n);
            n = 0;
            JsonGenerator g = generator(out);
            if (copier == null) {
                copier = rules.copier();
            }
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                copier.copy(t, parser, g);
            }
        } catch (IOException | RuntimeException e) {
            throw failure(e);
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
            Counting counted = null;
            if (parser == null) {
                // The whole body is held: one blocking pass over the bytes. The generator keeps the
                // masked body in its own buffer unless it outgrows it (then it is held apart), so its
                // length is known before a byte of it is written.
                copier = rules.copier();
                counted = new Counting(length == null || n <= IN_GENERATOR ? out : new Held(n + 256));
                try (JsonParser p = factory.createParser(buf, 0, n)) {
                    copier.copyAll(p, generator(counted));
                }
            } else {
                feed();
                feeder.endOfInput();
                JsonToken t;
                while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                    copier.copy(t, parser, generator);
                }
            }
            if (!copier.atRoot()) {
                throw new IOException("unexpected end of input");
            }
            if (counted != null && counted.out instanceof Held held) {
                generator.close();
                length.accept(held.size());
                held.writeTo(out);
            } else {
                if (counted != null && length != null && counted.count == 0) {
                    length.accept(generator.getOutputBuffered());
                }
                generator.close();
            }
        } catch (IOException | RuntimeException e) {
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

    /** A masked body too large for the generator's buffer, held until its length is known. */
    private static final class Held extends ByteArrayOutputStream {
        Held(int size) {
            super(size);
        }

        @Override
        public void writeTo(OutputStream target) throws IOException {
            target.write(buf, 0, count);
        }
    }

    /** Counts what the generator has passed on (it writes whole buffers, so this costs nothing per token). */
    private static final class Counting extends OutputStream {
        final OutputStream out;
        long count;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            count++;
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            count += len;
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
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
