package io.aegis.gateway.masking.internal;

import java.util.Arrays;

/** A growable char buffer that masks are written into, reused across values. Not thread-safe. */
public final class CharSink {

    char[] chars;
    int length;

    public CharSink(int capacity) {
        chars = new char[Math.max(16, capacity)];
    }

    public void reset() {
        length = 0;
    }

    public char[] chars() {
        return chars;
    }

    public int length() {
        return length;
    }

    /** Makes room for {@code more} chars; answers the array to write into at {@link #length}. */
    char[] ensure(int more) {
        if (length + more > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(length + more, chars.length * 2));
        }
        return chars;
    }

    void put(char c) {
        if (length == chars.length) {
            chars = Arrays.copyOf(chars, length * 2);
        }
        chars[length++] = c;
    }

    void put(char[] s, int off, int len) {
        if (length + len > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(length + len, chars.length * 2));
        }
        System.arraycopy(s, off, chars, length, len);
        length += len;
    }

    void put(String s) {
        int len = s.length();
        if (length + len > chars.length) {
            chars = Arrays.copyOf(chars, Math.max(length + len, chars.length * 2));
        }
        s.getChars(0, len, chars, length);
        length += len;
    }

    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
