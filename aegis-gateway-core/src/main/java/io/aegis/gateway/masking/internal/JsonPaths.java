package io.aegis.gateway.masking.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON paths compiled to a small automaton over at most 64 states, so the streaming copier tracks
 * every path at once with one {@code long} per nesting level and no allocation per token.
 *
 * <p>A state is one position in one path: "the steps before it have matched". A value's state
 * set says which positions its location reaches; a value whose set contains a path's final
 * position is masked. Grammar: {@code $} then steps {@code .name}, {@code .*}, {@code [*]},
 * {@code [n]} (an array index from 0), {@code ['name']}, {@code ["name"]}, {@code ..name},
 * {@code ..*}.
 */
public final class JsonPaths {

    static final byte FIELD = 1;
    static final byte ANY_FIELD = 2;
    static final byte ANY_INDEX = 3;
    static final byte DESCENDANT = 4;
    static final byte DESCENDANT_ANY = 5;
    static final byte FINAL = 6;
    static final byte INDEX = 7;

    /** The largest array index a path may name. */
    static final int MAX_INDEX = 1_000_000;

    private static final JsonPaths EMPTY = new JsonPaths(new byte[0], new String[0], new int[0], 0L, 0L);

    private final byte[] kind;
    private final String[] name;
    private final int[] index;
    private final long root;
    private final long finals;

    private JsonPaths(byte[] kind, String[] name, int[] index, long root, long finals) {
        this.kind = kind;
        this.name = name;
        this.index = index;
        this.root = root;
        this.finals = finals;
    }

    /**
     * Compiles paths.
     *
     * @throws IllegalArgumentException naming the path, the position and the expectation
     */
    public static JsonPaths compile(List<String> paths) {
        if (paths.isEmpty()) {
            return EMPTY;
        }
        List<Byte> kinds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        long root = 0;
        long finals = 0;
        for (String path : paths) {
            int base = kinds.size();
            parse(path, kinds, names, indexes);
            kinds.add(FINAL);
            names.add(null);
            indexes.add(-1);
            if (kinds.size() > 64) {
                throw new IllegalArgumentException("paths: " + paths + " (expected: at most 64 steps in all, counting one end per path)");
            }
            root |= 1L << base;
            finals |= 1L << (kinds.size() - 1);
        }
        byte[] k = new byte[kinds.size()];
        int[] idx = new int[kinds.size()];
        for (int i = 0; i < k.length; i++) {
            k[i] = kinds.get(i);
            idx[i] = indexes.get(i);
        }
        return new JsonPaths(k, names.toArray(new String[0]), idx, root, finals);
    }

    private static void parse(String path, List<Byte> kinds, List<String> names, List<Integer> indexes) {
        if (path == null || !path.startsWith("$")) {
            throw bad(path, 0, "a path starting with $");
        }
        int i = 1;
        int n = path.length();
        while (i < n) {
            char c = path.charAt(i);
            if (c == '.') {
                boolean desc = i + 1 < n && path.charAt(i + 1) == '.';
                int st = i + (desc ? 2 : 1);
                int e = st;
                while (e < n && path.charAt(e) != '.' && path.charAt(e) != '[') {
                    e++;
                }
                String seg = path.substring(st, e);
                if (seg.isEmpty()) {
                    throw bad(path, st, "a member name or * after '.'");
                }
                boolean any = seg.equals("*");
                kinds.add(desc ? any ? DESCENDANT_ANY : DESCENDANT : any ? ANY_FIELD : FIELD);
                names.add(any ? null : seg);
                indexes.add(-1);
                i = e;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw bad(path, i, "a closing ]");
                }
                String inner = path.substring(i + 1, close).trim();
                int at = -1;
                if (inner.equals("*")) {
                    kinds.add(ANY_INDEX);
                    names.add(null);
                } else if (inner.length() >= 2 && (inner.startsWith("'") && inner.endsWith("'")
                        || inner.startsWith("\"") && inner.endsWith("\""))) {
                    kinds.add(FIELD);
                    names.add(inner.substring(1, inner.length() - 1));
                } else if (!inner.isEmpty() && inner.length() <= 7 && inner.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                        && Integer.parseInt(inner) <= MAX_INDEX) {
                    kinds.add(INDEX);
                    names.add(null);
                    at = Integer.parseInt(inner);
                } else {
                    throw bad(path, i, "[*], [n] with 0 <= n <= " + MAX_INDEX + " or ['name']");
                }
                indexes.add(at);
                i = close + 1;
            } else {
                throw bad(path, i, "'.' or '['");
            }
        }
    }

    private static IllegalArgumentException bad(String path, int at, String expected) {
        return new IllegalArgumentException("path: '" + path + "' at " + at + " (expected: " + expected + ")");
    }

    public boolean isEmpty() {
        return kind.length == 0;
    }

    /** The state set of the document's root value. */
    public long root() {
        return root;
    }

    /** {@code true} when a value with this state set is to be masked. */
    public boolean isFinal(long state) {
        return (state & finals) != 0;
    }

    /** The state set of member {@code field} of an object whose state set is {@code state}. */
    public long member(long state, String field) {
        long next = 0;
        long s = state & ~finals;
        while (s != 0) {
            int b = Long.numberOfTrailingZeros(s);
            s &= s - 1;
            switch (kind[b]) {
                case FIELD -> {
                    if (name[b].equals(field)) {
                        next |= 1L << (b + 1);
                    }
                }
                case ANY_FIELD, DESCENDANT_ANY -> next |= 1L << (b + 1) | (kind[b] == DESCENDANT_ANY ? 1L << b : 0);
                case DESCENDANT -> {
                    next |= 1L << b;
                    if (name[b].equals(field)) {
                        next |= 1L << (b + 1);
                    }
                }
                default -> {
                }
            }
        }
        return next;
    }

    /** The state set of element {@code at} (from 0) of an array whose state set is {@code state}. */
    public long element(long state, int at) {
        long next = 0;
        long s = state & ~finals;
        while (s != 0) {
            int b = Long.numberOfTrailingZeros(s);
            s &= s - 1;
            switch (kind[b]) {
                case ANY_INDEX -> next |= 1L << (b + 1);
                case INDEX -> {
                    if (index[b] == at) {
                        next |= 1L << (b + 1);
                    }
                }
                case DESCENDANT, DESCENDANT_ANY -> next |= 1L << b | (kind[b] == DESCENDANT_ANY ? 1L << (b + 1) : 0);
                default -> {
                }
            }
        }
        return next;
    }
}
