package io.aegis.gateway.masking.internal;

import io.aegis.gateway.masking.Detector;

/**
 * The mask formats: a useful part kept for personal data, full redaction for secrets. Every
 * method accepts any input and never throws.
 */
public final class Masks {

    /** The mask of a JWT. */
    public static final String JWT = "[jwt]";
    /** The mask of a secret: API key, credential, password value, private key, high-entropy token. */
    public static final String SECRET = "[secret]";

    private static final Detector[] DETECTORS = Detector.values();

    private Masks() {
    }

    /**
     * Replaces every finding of the last {@link Scanner#scan} of {@code s[from, to)} with its mask.
     * Answers {@code null} when the scanner found nothing.
     */
    public static String apply(char[] s, int from, int to, Scanner scanner) {
        if (scanner.count() == 0) {
            return null;
        }
        CharSink out = new CharSink(to - from + 16);
        apply(s, from, to, scanner, out);
        return out.toString();
    }

    /** Appends {@code s[from, to)} with the findings of the last scan masked. */
    public static void apply(char[] s, int from, int to, Scanner scanner, CharSink out) {
        int n = scanner.count();
        int p = from;
        for (int k = 0; k < n; k++) {
            int st = scanner.start(k);
            int en = scanner.end(k);
            out.put(s, p, st - p);
            append(out, s, st, en, scanner.detector(k));
            p = en;
        }
        out.put(s, p, to - p);
    }

    /**
     * The mask of a value that must be hidden whole (a masked field): the detector's format when
     * the value is exactly one finding, the generic mask otherwise.
     */
    public static String whole(char[] s, int from, int to, Scanner scanner) {
        CharSink out = new CharSink(to - from);
        whole(s, from, to, scanner, out);
        return out.toString();
    }

    /** Appends the mask of a value hidden whole (see {@link #whole(char[], int, int, Scanner)}). */
    public static void whole(char[] s, int from, int to, Scanner scanner, CharSink out) {
        int a = from;
        int b = to;
        while (a < b && s[a] <= ' ') {
            a++;
        }
        while (b > a && s[b - 1] <= ' ') {
            b--;
        }
        if (a == b) {
            out.put(s, from, to - from);
            return;
        }
        int kind = scanner.whole(s, a, b);
        if (kind >= 0) {
            append(out, s, a, b, DETECTORS[kind]);
            return;
        }
        generic(s, a, b, out);
    }

    /** Appends the mask of {@code s[start, end)}, a finding of {@code detector}. */
    public static void append(CharSink out, char[] s, int start, int end, Detector detector) {
        switch (detector) {
            case EMAIL -> email(out, s, start, end);
            case PHONE -> phone(out, s, start, end);
            case RESIDENT_ID -> keepDigits(out, s, start, end, 7, 0);
            case CARD, BANK_ACCOUNT -> keepDigits(out, s, start, end, 0, 4);
            case IP -> ip(out, s, start, end);
            case JWT -> out.put(JWT);
            default -> out.put(SECRET);
        }
    }

    /**
     * The generic mask: the first character kept when the value has at least three letters or
     * digits, every other letter or digit replaced by {@code *}, spaces and punctuation kept; a
     * value made mostly of symbols has every character but spaces replaced.
     */
    public static String generic(char[] s, int from, int to) {
        CharSink out = new CharSink(to - from);
        generic(s, from, to, out);
        return out.toString();
    }

    /** Appends the generic mask of {@code s[from, to)}. */
    public static void generic(char[] s, int from, int to, CharSink out) {
        int letters = 0;
        int visible = 0;
        for (int x = from; x < to; x++) {
            if (Character.isLetterOrDigit(s[x])) {
                letters++;
            }
            if (!Character.isWhitespace(s[x])) {
                visible++;
            }
        }
        if (2 * letters < visible) {
            // Mostly symbols (a password such as "#$%&*+", a key in punctuation): keeping the
            // punctuation would keep the secret, so every character but spaces goes.
            for (int x = from; x < to; x++) {
                char c = s[x];
                if (Character.isLowSurrogate(c) && x > from && Character.isHighSurrogate(s[x - 1])) {
                    continue; // one mark per character
                }
                out.put(Character.isWhitespace(c) ? c : '*');
            }
            return;
        }
        boolean keepFirst = letters >= 3;
        for (int x = from; x < to; x++) {
            char c = s[x];
            if (Character.isHighSurrogate(c) && x + 1 < to && Character.isLowSurrogate(s[x + 1])) {
                if (keepFirst && x == from) {
                    out.put(c);
                    out.put(s[x + 1]);
                } else {
                    out.put('*');
                }
                x++;
            } else if (Character.isLetterOrDigit(c) || Character.isSurrogate(c)) {
                out.put(keepFirst && x == from ? c : '*');
            } else {
                out.put(c);
            }
        }
    }

    /** {@code minjun.kim@example.kr} → {@code m*****.k**@example.kr}: the domain stays. */
    private static void email(CharSink out, char[] s, int start, int end) {
        int at = -1;
        for (int x = end - 1; x >= start; x--) {
            if (s[x] == '@') {
                at = x;
                break;
            }
        }
        if (at < 0) {
            generic(s, start, end, out);
            return;
        }
        char[] a = out.ensure(end - start);
        int n = out.length;
        boolean segmentStart = true;
        for (int x = start; x < at; x++) {
            char c = s[x];
            if (c == '.' || c == '_' || c == '-' || c == '+') {
                a[n++] = c;
                segmentStart = true;
            } else {
                boolean single = segmentStart && (x + 1 == at || !Scanner.isAlnum(s[x + 1]));
                a[n++] = segmentStart && !single ? c : '*';
                segmentStart = false;
            }
        }
        System.arraycopy(s, at, a, n, end - at);
        out.length = n + end - at;
    }

    /**
     * {@code 010-2345-6789} → {@code 010-****-6789}; {@code +82 10 1234 5678} → {@code +82 ** **** 5678}:
     * the first group (country code or prefix, at most four digits) and the last four digits stay.
     */
    private static void phone(CharSink out, char[] s, int start, int end) {
        int digits = 0;
        for (int x = start; x < end; x++) {
            if (Scanner.isDigit(s[x])) {
                digits++;
            }
        }
        boolean plus = s[start] == '+';
        int firstStart = plus ? start + 1 : start;
        int firstEnd = firstStart;
        while (firstEnd < end && Scanner.isDigit(s[firstEnd])) {
            firstEnd++;
        }
        int lead = firstEnd - firstStart;
        if (firstEnd == end || lead > 4) {
            lead = plus ? 2 : 3; // no separator: a country code or prefix of this length
        }
        int keepLast = Math.min(4, digits / 2);
        lead = Math.min(lead, Math.max(0, digits - keepLast - 1));
        keepDigits(out, s, start, end, lead, keepLast, digits);
    }

    /** Keeps the first {@code head} and the last {@code tail} digits, masks the other digits; separators stay. */
    private static void keepDigits(CharSink out, char[] s, int start, int end, int head, int tail) {
        int digits = 0;
        for (int x = start; x < end; x++) {
            if (Scanner.isDigit(s[x])) {
                digits++;
            }
        }
        keepDigits(out, s, start, end, head, tail, digits);
    }

    private static void keepDigits(CharSink out, char[] s, int start, int end, int head, int tail, int digits) {
        char[] a = out.ensure(end - start);
        int n = out.length;
        int d = 0;
        int lastKept = digits - tail;
        for (int x = start; x < end; x++) {
            char c = s[x];
            if (c >= '0' && c <= '9') {
                a[n++] = d < head || d >= lastKept ? c : '*';
                d++;
            } else {
                a[n++] = c;
            }
        }
        out.length = n;
    }

    /** {@code 192.168.10.23} → {@code 192.168.*.*}; {@code 2001:db8:85a3::7334} → {@code 2001:db8::*}. */
    private static void ip(CharSink out, char[] s, int start, int end) {
        boolean v6 = false;
        for (int x = start; x < end; x++) {
            v6 |= s[x] == ':';
        }
        if (!v6) {
            int dots = 0;
            for (int x = start; x < end && dots < 2; x++) {
                if (s[x] == '.') {
                    dots++;
                }
                out.put(s[x]);
            }
            out.put("*.*");
            return;
        }
        int colons = 0;
        int x = start;
        while (x < end && colons < 2 && !(s[x] == ':' && x + 1 < end && s[x + 1] == ':')) {
            if (s[x] == ':') {
                colons++;
                if (colons == 2) {
                    break;
                }
            }
            out.put(s[x]);
            x++;
        }
        out.put("::*");
    }
}
