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

/**
 * Streams UTF-8 JSON through the masking copier as it is written: Jackson's non-blocking parser is
 * fed each chunk, every complete token is copied (masked) to a generator over the wrapped
 * stream. Memory stays bounded by the chunk size and the longest single token.
 */
public final class NonBlockingJsonStream extends MaskingOutputStream {

    private static final SerializedString ROOT_SEPARATOR = new SerializedString("\n");

    private final OutputStream out;
    private final JsonParser parser;
    private final ByteArrayFeeder feeder;
    private final JsonGenerator generator;
    private final JsonCopier copier;
    private final byte[] buf = new byte[8192];
    private int n;
    private boolean finished;
    private boolean failed;

    public NonBlockingJsonStream(JsonFactory factory, MaskingRules rules, OutputStream out) throws IOException {
        this.out = out;
        this.parser = factory.createNonBlockingByteArrayParser();
        this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        this.generator = factory.createGenerator(out);
        generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        generator.setRootValueSeparator(ROOT_SEPARATOR);
        this.copier = new JsonCopier(rules);
    }

    @Override
    public void write(int b) throws IOException {
        check();
        if (n == buf.length) {
            feed();
        }
        buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        check();
        while (len > 0) {
            if (n == buf.length) {
                feed();
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

    private void feed() throws IOException {
        if (n == 0) {
            return;
        }
        try {
            feeder.feedInput(buf, 0, n);
            n = 0;
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                copier.copy(t, parser, generator);
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new IOException("the response body is not valid JSON and cannot be masked: " + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        if (finished || failed) {
            return;
        }
        feed();
        generator.flush();
    }

    @Override
    public void finish() throws IOException {
        if (failed) {
            throw new IOException("the response could not be masked");
        }
        if (finished) {
            return;
        }
        feed();
        try {
            feeder.endOfInput();
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                copier.copy(t, parser, generator);
            }
            if (!copier.atRoot()) {
                throw new IOException("unexpected end of input");
            }
        } catch (IOException | RuntimeException e) {
            failed = true;
            throw new IOException("the response body is not valid JSON and cannot be masked: " + e.getClass().getSimpleName(), e);
        }
        finished = true;
        generator.flush();
    }

    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            parser.close();
            out.close();
        }
    }
}
