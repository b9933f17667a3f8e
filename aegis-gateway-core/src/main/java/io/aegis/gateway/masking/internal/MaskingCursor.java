package io.aegis.gateway.masking.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * Where a document's token stream stands against the masking rules, and what each value becomes:
 * the decisions shared by the {@link JsonCopier} (which re-serialises through a generator) and the
 * {@link JsonSplicer} (which keeps the original bytes around the values it replaces). The caller
 * tells it every structural token and asks it about every scalar value, in document order.
 *
 * <p>Not thread-safe: one document at a time; {@link #reset()} forgets the document but keeps the
 * cache of member names by position, which the next document of the same shape reuses.
 */
final class MaskingCursor {

    private final MaskingRules rules;
    private Scanner wholeScanner;
    private final Scanner textScanner;
    private long[] states = new long[16];
    private boolean[] arrays = new boolean[16];
    private int[] members = new int[16];
    private int depth;
    private int maskedDepth = -1;
    private long pendingState;
    private boolean pendingMasked;
    private final CharSink masked = new CharSink(32);
    private final String[] seenNames = new String[64];
    private final MaskingRules.Name[] seen = new MaskingRules.Name[64];

    MaskingCursor(MaskingRules rules) {
        this.rules = rules;
        this.textScanner = rules.scanBits() != 0 ? new Scanner(rules.scanBits()) : null;
    }

    /** Forgets the document, keeping the cache of member names. */
    void reset() {
        depth = 0;
        maskedDepth = -1;
        pendingState = 0;
        pendingMasked = false;
        members[0] = 0;
    }

    /** A member name: answers its rule entry (pre-encoded for a generator) and notes what its value is. */
    MaskingRules.Name member(String name) {
        // Keyed by position (depth, member index): objects of one array repeat the same canonical
        // names in the same order, so the k-th member is usually the very String seen there
        // before, and its match and encoding are reused without hashing.
        int slot = (depth & 3) << 4 | members[depth]++ & 15;
        MaskingRules.Name known = seen[slot];
        if (known == null || seenNames[slot] != name) {
            known = rules.name(name);
            seenNames[slot] = name;
            seen[slot] = known;
        }
        if (maskedDepth < 0) {
            long st = states[depth];
            pendingState = st == 0 ? 0 : rules.paths().member(st, name);
            pendingMasked = known.masked() || rules.paths().isFinal(pendingState);
        }
        return known;
    }

    /** An object or array starts. */
    void open(boolean array) {
        boolean masked = position();
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

    /** The innermost object or array ends. */
    void close() {
        if (maskedDepth == depth) {
            maskedDepth = -1;
        }
        depth--;
    }

    /**
     * The scalar value {@code t} the parser stands on: answers its replacement (unquoted text, valid
     * until the next call), or {@code null} when it stays as it is. A string is only decoded when it
     * is masked or detectors must read it; {@code true}, {@code false} and {@code null} always stay.
     */
    CharSink replacement(JsonToken t, JsonParser p) throws IOException {
        boolean masked = position();
        if (t == JsonToken.VALUE_STRING) {
            if (!masked && textScanner == null) {
                return null;
            }
            char[] buf = p.getTextCharacters();
            int off = p.getTextOffset();
            int len = p.getTextLength();
            if (masked) {
                if (wholeScanner == null) {
                    wholeScanner = new Scanner(MaskingRules.WHOLE_VALUE_DETECTORS);
                }
                this.masked.reset();
                Masks.whole(buf, off, off + len, wholeScanner, this.masked);
                return this.masked;
            }
            if (textScanner.scan(buf, off, off + len) > 0) {
                this.masked.reset();
                Masks.apply(buf, off, off + len, textScanner, this.masked);
                return this.masked;
            }
            return null;
        }
        if (masked && (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT)) {
            char[] buf = p.getTextCharacters();
            int off = p.getTextOffset();
            this.masked.reset();
            Masks.generic(buf, off, off + p.getTextLength(), this.masked);
            return this.masked;
        }
        return null;
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

    /** {@code true} when no object or array is open. */
    boolean atRoot() {
        return depth == 0;
    }
}
