package io.aegis.gateway.masking.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * Copies one JSON token stream from a parser to a generator, masking as the rules say: a single
 * pass with the Jackson streaming API, no tree, no allocation per token except for values that
 * are actually masked. Works with blocking and non-blocking parsers alike (the caller feeds it
 * one token at a time).
 *
 * <p>Not thread-safe: one document at a time ({@link MaskingRules#copier()} lends them out and
 * {@link MaskingRules#done} takes them back, reset, so the name cache by position carries over).
 */
public final class JsonCopier {

    private final MaskingRules rules;
    private Scanner wholeScanner;
    private final Scanner textScanner;
    private long[] states = new long[16];
    private boolean[] arrays = new boolean[16];
    private int depth;
    private int maskedDepth = -1;
    private long pendingState;
    private boolean pendingMasked;
    private final CharSink masked = new CharSink(32);
    private final String[] seenNames = new String[64];
    private final MaskingRules.Name[] seen = new MaskingRules.Name[64];
    private int[] members = new int[16];

    public JsonCopier(MaskingRules rules) {
        this.rules = rules;
        this.textScanner = rules.scanBits() != 0 ? new Scanner(rules.scanBits()) : null;
    }

    /** Forgets the document, keeping the caches of member names. */
    void reset() {
        depth = 0;
        maskedDepth = -1;
        pendingState = 0;
        pendingMasked = false;
        members[0] = 0;
    }

    /** Copies every token of a blocking parser. */
    public void copyAll(JsonParser p, JsonGenerator g) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) != null) {
            copy(t, p, g);
        }
    }

    /** Copies the current token {@code t} of {@code p}. */
    public void copy(JsonToken t, JsonParser p, JsonGenerator g) throws IOException {
        switch (t) {
            case FIELD_NAME -> {
                String name = p.currentName();
                // Keyed by position (depth, member index): objects of one array repeat the same
                // canonical names in the same order, so the k-th member is usually the very String
                // seen there before, and its match and encoding are reused without hashing.
                int slot = (depth & 3) << 4 | members[depth]++ & 15;
                MaskingRules.Name known = seen[slot];
                if (known == null || seenNames[slot] != name) {
                    known = rules.name(name);
                    seenNames[slot] = name;
                    seen[slot] = known;
                }
                g.writeFieldName(known.encoded());
                boolean named = known.masked();
                if (maskedDepth >= 0) {
                    return;
                }
                long st = states[depth];
                pendingState = st == 0 ? 0 : rules.paths().member(st, name);
                pendingMasked = named || rules.paths().isFinal(pendingState);
            }
            case START_OBJECT, START_ARRAY -> {
                boolean masked = position();
                boolean array = t == JsonToken.START_ARRAY;
                if (array) {
                    g.writeStartArray();
                } else {
                    g.writeStartObject();
                }
                depth++;
                if (depth == states.length) {
                    states = Arrays.copyOf(states, depth * 2);
                    arrays = Arrays.copyOf(arrays, depth * 2);
                    members = Arrays.copyOf(members, depth * 2);
                }
                states[depth] = masked ? 0 : pendingState;
                arrays[depth] = array;
                members[depth] = 0;
                if (masked && maskedDepth < 0) {
                    maskedDepth = depth;
                }
            }
            case END_OBJECT, END_ARRAY -> {
                if (t == JsonToken.END_ARRAY) {
                    g.writeEndArray();
                } else {
                    g.writeEndObject();
                }
                if (maskedDepth == depth) {
                    maskedDepth = -1;
                }
                depth--;
            }
            case VALUE_STRING -> {
                boolean masked = position();
                char[] buf = p.getTextCharacters();
                int off = p.getTextOffset();
                int len = p.getTextLength();
                if (masked) {
                    if (wholeScanner == null) {
                        wholeScanner = new Scanner(MaskingRules.WHOLE_VALUE_DETECTORS);
                    }
                    this.masked.reset();
                    Masks.whole(buf, off, off + len, wholeScanner, this.masked);
                    writeMasked(g);
                } else if (textScanner != null && textScanner.scan(buf, off, off + len) > 0) {
                    this.masked.reset();
                    Masks.apply(buf, off, off + len, textScanner, this.masked);
                    writeMasked(g);
                } else {
                    g.writeString(buf, off, len);
                }
            }
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                boolean masked = position();
                char[] buf = p.getTextCharacters();
                int off = p.getTextOffset();
                int len = p.getTextLength();
                if (masked) {
                    this.masked.reset();
                    Masks.generic(buf, off, off + len, this.masked);
                    writeMasked(g);
                } else {
                    g.writeNumber(buf, off, len);
                }
            }
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> {
                position();
                g.copyCurrentEvent(p);
            }
            default -> g.copyCurrentEvent(p);
        }
    }

    private void writeMasked(JsonGenerator g) throws IOException {
        g.writeString(masked.chars(), 0, masked.length());
    }

    /** Works out the state of the value at the current position; answers whether it is masked. */
    private boolean position() {
        if (maskedDepth >= 0) {
            pendingState = 0;
            return true;
        }
        if (depth == 0) {
            pendingState = rules.paths().root();
            return rules.paths().isFinal(pendingState);
        }
        if (arrays[depth]) {
            long st = states[depth];
            int at = members[depth]++; // in an array, the element's index
            pendingState = st == 0 ? 0 : rules.paths().element(st, at);
            return rules.paths().isFinal(pendingState);
        }
        return pendingMasked;
    }

    /** {@code true} once a complete root value was copied and no container is open. */
    public boolean atRoot() {
        return depth == 0;
    }
}
