package io.aegis.gateway.llm.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines at LF, CRLF or CR, across chunk boundaries (a CR at the end of
 * one chunk and an LF at the start of the next are one line end). Lines are decoded as UTF-8 only
 * once complete, so a multi-byte character split between chunks is never mangled. Lines longer
 * than the limit fail instead of growing without bound. Not thread-safe (one stream, one thread
 * at a time).
 */
public final class LineSplitter {

    private final int maxLineBytes;
    private final Consumer<String> onLine;
    private byte[] buf = new byte[256];
    private int len;
    private boolean lastWasCr;

    public LineSplitter(int maxLineBytes, Consumer<String> onLine) {
        this.maxLineBytes = maxLineBytes;
        this.onLine = onLine;
    }

    /** Feeds bytes; complete lines go to the consumer. @throws IllegalStateException for an over-long line */
    public void feed(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            byte b = chunk.get();
            if (b == '\n') {
                if (lastWasCr) {
                    lastWasCr = false;
                    continue;
                }
                emit();
            } else if (b == '\r') {
                lastWasCr = true;
                emit();
            } else {
                lastWasCr = false;
                if (len >= maxLineBytes) {
                    throw new IllegalStateException("line longer than " + maxLineBytes + " bytes");
                }
                if (len == buf.length) {
                    buf = Arrays.copyOf(buf, Math.min(maxLineBytes, len * 2));
                }
                buf[len++] = b;
            }
        }
    }

    public void feed(byte[] bytes) {
        feed(ByteBuffer.wrap(bytes));
    }

    /** Whether bytes of an unfinished line are pending. */
    public boolean hasPartialLine() {
        return len > 0;
    }

    /** At end of input: emits a pending unterminated line. */
    public void finish() {
        if (len > 0) {
            emit();
        }
    }

    private void emit() {
        String line = new String(buf, 0, len, StandardCharsets.UTF_8);
        len = 0;
        onLine.accept(line);
    }
}
