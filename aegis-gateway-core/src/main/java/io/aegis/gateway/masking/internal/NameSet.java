package io.aegis.gateway.masking.internal;

import java.util.Collection;
import java.util.Locale;

/**
 * A set of names matched case-insensitively (ASCII case folding; other characters exactly),
 * without allocating on lookup: an open-addressing table keyed by a case-folded hash.
 * Immutable and thread-safe.
 */
public final class NameSet {

    private final String[] table;
    private final int mask;
    private final int minLength;
    private final int maxLength;

    public NameSet(Collection<String> names) {
        int size = Integer.highestOneBit(Math.max(4, names.size() * 4 - 1)) << 1;
        table = new String[size];
        mask = size - 1;
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (String n : names) {
            String lower = n.toLowerCase(Locale.ROOT);
            int i = hash(lower) & mask;
            while (table[i] != null && !table[i].equals(lower)) {
                i = (i + 1) & mask;
            }
            table[i] = lower;
            min = Math.min(min, lower.length());
            max = Math.max(max, lower.length());
        }
        minLength = min;
        maxLength = max;
    }

    public boolean isEmpty() {
        return maxLength == 0;
    }

    public boolean contains(String name) {
        int len = name.length();
        if (len < minLength || len > maxLength) {
            return false;
        }
        int i = hash(name) & mask;
        String t;
        while ((t = table[i]) != null) {
            if (t.length() == len && t.regionMatches(true, 0, name, 0, len)) {
                return true;
            }
            i = (i + 1) & mask;
        }
        return false;
    }

    private static int hash(String s) {
        int h = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            h = 31 * h + c;
        }
        return h ^ (h >>> 16);
    }
}
