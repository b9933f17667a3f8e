package io.aegis.gateway.waf.internal;

/**
 * Undoes the encodings attackers use to hide a payload, in bounded, linear passes that never
 * throw: repeated percent-decoding (with {@code %uXXXX} and overlong UTF-8 such as {@code %c0%ae}),
 * HTML character references (named, decimal, hex, with or without {@code ;}), JavaScript/CSS
 * escapes, Unicode NFKC (full-width forms), zero-width and control characters, exotic spaces.
 */
public final class Normalizer {

    /** At most this many rounds of percent-decoding. */
    public static final int MAX_DECODE_ROUNDS = 3;

    private Normalizer() {
    }

    /**
     * The canonical form of a value for detection. {@code alreadyDecodedOnce} tells whether the
     * adapter's own decoding already happened (query parameters, paths): further rounds still run.
     */
    public static String normalize(String s) {
        if (!needsWork(s)) {
            return s;
        }
        String v = s;
        for (int i = 0; i < MAX_DECODE_ROUNDS && v.indexOf('%') >= 0; i++) {
            String next = percentDecode(v, false);
            if (next.equals(v)) {
                break;
            }
            v = next;
        }
        if (v.indexOf('&') >= 0) {
            v = htmlEntities(v);
            if (v.indexOf('&') >= 0) {
                v = htmlEntities(v); // &amp;lt; -> &lt; -> <
            }
        }
        if (v.indexOf('\\') >= 0) {
            v = escapes(v);
        }
        return unicode(v);
    }

    private static boolean needsWork(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '&' || c == '\\' || c < 0x20 || c >= 0x7f) {
                return true;
            }
        }
        return false;
    }

    /**
     * One round of percent-decoding. Malformed escapes stay as they are. Decoded bytes are read as
     * lenient UTF-8: overlong forms decode to their code point (so {@code %c0%ae} is a dot), and
     * invalid bytes become the Latin-1 character of the same value.
     */
    public static String percentDecode(String s, boolean plusIsSpace) {
        int n = s.length();
        int first = s.indexOf('%');
        if (first < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) {
            return s;
        }
        StringBuilder out = new StringBuilder(n);
        byte[] pending = new byte[n / 3 + 1];
        int pn = 0;
        for (int i = 0; i < n; ) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < n && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                pending[pn++] = (byte) (hex(s.charAt(i + 1)) << 4 | hex(s.charAt(i + 2)));
                i += 3;
                continue;
            }
            if (pn > 0) {
                utf8(pending, pn, out);
                pn = 0;
            }
            if (c == '%' && i + 5 < n && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                    && hex(s.charAt(i + 2)) >= 0 && hex(s.charAt(i + 3)) >= 0 && hex(s.charAt(i + 4)) >= 0
                    && hex(s.charAt(i + 5)) >= 0) {
                out.append((char) (hex(s.charAt(i + 2)) << 12 | hex(s.charAt(i + 3)) << 8 | hex(s.charAt(i + 4)) << 4
                        | hex(s.charAt(i + 5))));
                i += 6;
                continue;
            }
            out.append(plusIsSpace && c == '+' ? ' ' : c);
            i++;
        }
        if (pn > 0) {
            utf8(pending, pn, out);
        }
        return out.toString();
    }

    /** Lenient UTF-8: accepts overlong forms; a byte that starts no valid sequence is taken as Latin-1. */
    static void utf8(byte[] b, int n, StringBuilder out) {
        int i = 0;
        while (i < n) {
            int x = b[i] & 0xFF;
            int need;
            int cp;
            if (x < 0x80) {
                out.append((char) x);
                i++;
                continue;
            } else if (x >= 0xC0 && x < 0xE0) {
                need = 1;
                cp = x & 0x1F;
            } else if (x >= 0xE0 && x < 0xF0) {
                need = 2;
                cp = x & 0x0F;
            } else if (x >= 0xF0 && x < 0xF8) {
                need = 3;
                cp = x & 0x07;
            } else {
                out.append((char) x);
                i++;
                continue;
            }
            if (i + need >= n) {
                out.append((char) x); // not enough bytes left
                i++;
                continue;
            }
            boolean ok = true;
            for (int k = 1; k <= need; k++) {
                int y = b[i + k] & 0xFF;
                if ((y & 0xC0) != 0x80) {
                    ok = false;
                    break;
                }
                cp = cp << 6 | y & 0x3F;
            }
            if (!ok || cp > 0x10FFFF) {
                out.append((char) x);
                i++;
                continue;
            }
            out.appendCodePoint(cp);
            i += need + 1;
        }
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static final String[][] ENTITIES = {
            {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"amp", "&"}, {"sol", "/"}, {"bsol", "\\"},
            {"colon", ":"}, {"semi", ";"}, {"lpar", "("}, {"rpar", ")"}, {"tab", "\t"}, {"newline", "\n"},
            {"nbsp", " "}, {"comma", ","}, {"period", "."}, {"excl", "!"}, {"equals", "="}, {"grave", "`"},
            {"lsqb", "["}, {"rsqb", "]"}, {"lcub", "{"}, {"rcub", "}"}, {"lbrack", "["}, {"rbrack", "]"},
            {"lbrace", "{"}, {"rbrace", "}"}, {"plus", "+"}, {"num", "#"}, {"dollar", "$"}, {"percnt", "%"},
            {"ast", "*"}, {"quest", "?"}, {"commat", "@"}, {"vert", "|"}, {"verbar", "|"}, {"hat", "^"},
            {"lowbar", "_"}, {"hyphen", "-"}, {"dash", "-"}, {"quot", "\""}};

    /** Decodes HTML character references; unknown names stay as they are. */
    public static String htmlEntities(String s) {
        int n = s.length();
        StringBuilder out = null;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) != '&' || i + 1 >= n) {
                continue;
            }
            int j = i + 1;
            int cp = -1;
            if (s.charAt(j) == '#') {
                j++;
                boolean hexForm = j < n && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
                if (hexForm) {
                    j++;
                }
                int start = j;
                long v = 0;
                while (j < n && j - start < 12 && (hexForm ? hex(s.charAt(j)) >= 0 : Character.isDigit(s.charAt(j)))) {
                    v = v * (hexForm ? 16 : 10) + (hexForm ? hex(s.charAt(j)) : s.charAt(j) - '0');
                    if (v > 0x10FFFF) {
                        v = 0xFFFD;
                    }
                    j++;
                }
                if (j == start) {
                    continue;
                }
                cp = (int) v;
            } else {
                int start = j;
                while (j < n && j - start < 10 && Character.isLetter(s.charAt(j)) && s.charAt(j) < 0x80) {
                    j++;
                }
                if (j == start) {
                    continue;
                }
                String name = s.substring(start, j).toLowerCase(java.util.Locale.ROOT);
                String value = null;
                for (String[] e : ENTITIES) {
                    if (e[0].equals(name)) {
                        value = e[1];
                        break;
                    }
                }
                if (value == null) {
                    continue;
                }
                cp = value.charAt(0);
            }
            if (j < n && s.charAt(j) == ';') {
                j++;
            }
            if (out == null) {
                out = new StringBuilder(n);
            }
            out.append(s, last, i);
            if (cp == 0) {
                cp = 0xFFFD;
            }
            out.appendCodePoint(Character.isValidCodePoint(cp) ? cp : 0xFFFD);
            last = j;
            i = j - 1;
        }
        if (out == null) {
            return s;
        }
        out.append(s, last, n);
        return out.toString();
    }

    /** Decodes {@code \\uXXXX}, {@code \\u{X..}}, {@code \\xXX} and CSS {@code \\HH..} escapes. */
    public static String escapes(String s) {
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= n) {
                out.append(c);
                continue;
            }
            char d = s.charAt(i + 1);
            if ((d == 'u' || d == 'U') && i + 2 < n && s.charAt(i + 2) == '{') {
                int j = i + 3;
                int v = 0;
                while (j < n && j - i < 12 && hex(s.charAt(j)) >= 0) {
                    v = Math.min(v * 16 + hex(s.charAt(j)), 0x10FFFF);
                    j++;
                }
                if (j < n && s.charAt(j) == '}' && j > i + 3) {
                    out.appendCodePoint(v);
                    i = j;
                    continue;
                }
            } else if ((d == 'u' || d == 'U') && i + 5 < n && hex(s.charAt(i + 2)) >= 0 && hex(s.charAt(i + 3)) >= 0
                    && hex(s.charAt(i + 4)) >= 0 && hex(s.charAt(i + 5)) >= 0) {
                out.append((char) (hex(s.charAt(i + 2)) << 12 | hex(s.charAt(i + 3)) << 8 | hex(s.charAt(i + 4)) << 4
                        | hex(s.charAt(i + 5))));
                i += 5;
                continue;
            } else if ((d == 'x' || d == 'X') && i + 3 < n && hex(s.charAt(i + 2)) >= 0 && hex(s.charAt(i + 3)) >= 0) {
                out.append((char) (hex(s.charAt(i + 2)) << 4 | hex(s.charAt(i + 3))));
                i += 3;
                continue;
            } else if (hex(d) >= 0) {
                // CSS escape: up to six hex digits, an optional following space
                int j = i + 1;
                int v = 0;
                while (j < n && j - i <= 6 && hex(s.charAt(j)) >= 0) {
                    v = v * 16 + hex(s.charAt(j));
                    j++;
                }
                if (j - i >= 3) {
                    // one-digit escapes like \1 or \a are ambiguous (regex back-references, shell quoting)
                    out.appendCodePoint(Character.isValidCodePoint(v) && v != 0 ? v : 0xFFFD);
                    if (j < n && s.charAt(j) == ' ') {
                        j++;
                    }
                    i = j - 1;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * NFKC (full-width and compatibility forms to ASCII) when needed, exotic spaces to a space,
     * zero-width and control characters (except tab and newline) removed.
     */
    public static String unicode(String s) {
        boolean ascii = true;
        boolean controls = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                ascii = false;
            } else if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f) {
                controls = true;
            }
        }
        if (ascii && !controls) {
            return s;
        }
        String v = s;
        if (!ascii && !java.text.Normalizer.isNormalized(v, java.text.Normalizer.Form.NFKC)) {
            v = java.text.Normalizer.normalize(v, java.text.Normalizer.Form.NFKC);
        }
        StringBuilder out = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\n' || c == '\t') {
                out.append(c);
            } else if (c == 0x0b || c == 0x0c || c == '\r' || c == 0xa0 || c == 0x1680 || c >= 0x2000 && c <= 0x200a
                    || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0x85) {
                out.append(' ');
            } else if (c < 0x20 || c == 0x7f || c >= 0x200b && c <= 0x200f || c == 0xfeff || c == 0x2060
                    || c >= 0x80 && c < 0xa0 || c == 0xad) {
                // dropped: NUL, controls, zero-width characters, soft hyphen
            } else if (c == 0x2018 || c == 0x2019 || c == 0x02bc) {
                out.append(c); // typographic apostrophes are text, not SQL quotes
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
