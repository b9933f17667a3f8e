package io.aegis.gateway.masking.internal;

import io.aegis.gateway.masking.Detector;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * The detection engine: one forward pass over a character range that records non-overlapping
 * findings in order. Hand-written, no regular expressions: every attempt anchored at a position
 * either consumes what it examined or examines a bounded window, so the cost is linear in the
 * input. Never throws for any input.
 *
 * <p>Not thread-safe: one instance per thread or per document (it reuses its arrays).
 */
public final class Scanner {

    public static final int EMAIL = 1 << Detector.EMAIL.ordinal();
    public static final int PHONE = 1 << Detector.PHONE.ordinal();
    public static final int RRN = 1 << Detector.RESIDENT_ID.ordinal();
    public static final int CARD = 1 << Detector.CARD.ordinal();
    public static final int BANK = 1 << Detector.BANK_ACCOUNT.ordinal();
    public static final int IP = 1 << Detector.IP.ordinal();
    public static final int JWT = 1 << Detector.JWT.ordinal();
    public static final int SECRET = 1 << Detector.SECRET.ordinal();
    public static final int ENTROPY = 1 << Detector.HIGH_ENTROPY.ordinal();

    private static final int NUMERIC = PHONE | RRN | CARD | BANK | IP;
    private static final int MAX_GROUPS = 12;
    private static final Detector[] DETECTORS = Detector.values();

    private static final String[] KEYS = {
        "password", "passwd", "pwd", "secret", "client_secret", "api_key", "apikey", "x_api_key", "access_token",
        "refresh_token", "id_token", "auth_token", "token", "private_key", "secret_key", "aws_secret_access_key",
        "session_token", "credentials"};

    private final int enabled;
    /** With only these detectors, text without a digit, '@' or '+' cannot hold a finding. */
    private final boolean digitsOrAtOnly;

    private int[] starts = new int[4];
    private int[] ends = new int[4];
    private byte[] kinds = new byte[4];
    private int count;
    private int lastEnd;
    private int scanFrom;

    private int[] gs;
    private int[] ge;
    private char[] seps;
    private int[] histogram;

    public Scanner(int enabled) {
        this.enabled = enabled;
        this.digitsOrAtOnly = (enabled & (IP | JWT | SECRET | ENTROPY)) == 0;
    }

    /** The bit set of these detectors. */
    public static int bits(Set<Detector> detectors) {
        int b = 0;
        for (Detector d : detectors) {
            b |= 1 << d.ordinal();
        }
        return b;
    }

    public int enabled() {
        return enabled;
    }

    /** Findings of the last scan. */
    public int count() {
        return count;
    }

    public int start(int k) {
        return starts[k];
    }

    public int end(int k) {
        return ends[k];
    }

    public Detector detector(int k) {
        return DETECTORS[kinds[k]];
    }

    /** Scans {@code s[from, to)} and answers the number of findings. */
    public int scan(char[] s, int from, int to) {
        count = 0;
        lastEnd = from;
        scanFrom = from;
        if (enabled == 0) {
            return 0;
        }
        int i = from;
        boolean fast = digitsOrAtOnly;
        while (i < to) {
            char c = s[i];
            if (c >= 128 || fast && !(c <= '@' && (c >= '0' && c <= '9' || c == '@' || c == '+'))) {
                // Nothing starts here; with only number and e-mail detectors, only digits, '+' and '@' can start one.
                i++;
                continue;
            }
            if (c == '@') {
                int r = on(EMAIL) ? email(s, i, from, to) : -1;
                i = r > 0 ? r : i + 1;
                continue;
            }
            if (i > from && isWord(s[i - 1])) {
                i++;
                continue;
            }
            int r;
            if (isDigit(c)) {
                r = digits(s, i, to);
            } else if (isAlpha(c)) {
                r = word(s, i, to);
            } else if (c == '+' && i + 1 < to && isDigit(s[i + 1]) && on(PHONE)) {
                r = numeric(s, i, to);
            } else if (c == ':' && i + 1 < to && s[i + 1] == ':' && on(IP)) {
                r = ipv6(s, i, to);
                r = r > 0 ? r : i + 2;
            } else if (c == '-' && on(SECRET)) {
                r = pem(s, i, to);
            } else {
                r = i + 1;
            }
            i = Math.max(r, i + 1);
        }
        return count;
    }

    /**
     * Scans a value that is masked whole and answers the index of its detector when the whole
     * value {@code s[from, to)} is exactly one finding, else {@code -1}. E-mail addresses, the
     * common case, are checked at their {@code @} directly.
     */
    public int whole(char[] s, int from, int to) {
        count = 0;
        lastEnd = from;
        if (on(EMAIL)) {
            int at = -1;
            for (int x = to - 1; x > from; x--) {
                if (s[x] == '@') {
                    at = x;
                    break;
                }
            }
            if (at > from && email(s, at, from, to) == to && starts[0] == from) {
                return kinds[0];
            }
            count = 0;
            lastEnd = from;
        }
        return scan(s, from, to) == 1 && starts[0] == from && ends[0] == to ? kinds[0] : -1;
    }

    private boolean on(int bit) {
        return (enabled & bit) != 0;
    }

    private void add(int bit, int start, int end) {
        if (count == starts.length) {
            starts = Arrays.copyOf(starts, count * 2);
            ends = Arrays.copyOf(ends, count * 2);
            kinds = Arrays.copyOf(kinds, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        kinds[count] = (byte) Integer.numberOfTrailingZeros(bit);
        count++;
        lastEnd = end;
    }

    // ---- e-mail ------------------------------------------------------------------------------

    private int email(char[] s, int at, int from, int to) {
        int min = Math.max(Math.max(from, lastEnd), at - 64);
        int ls = at;
        while (ls > min && isLocal(s[ls - 1])) {
            ls--;
        }
        while (ls < at && s[ls] == '.') {
            ls++;
        }
        if (ls == at) {
            return -1;
        }
        int max = Math.min(to, at + 1 + 253);
        int p = at + 1;
        int labelStart = p;
        int lastDot = -1;
        while (p < max) {
            char c = s[p];
            if (isAlnum(c) || c == '-') {
                p++;
            } else if (c == '.' && p > labelStart && p + 1 < max && isAlnum(s[p + 1])) {
                lastDot = p;
                p++;
                labelStart = p;
            } else {
                break;
            }
        }
        while (p > labelStart && s[p - 1] == '-') {
            p--;
        }
        if (lastDot < 0 || p - lastDot - 1 < 2 || !isAlpha(s[lastDot + 1]) || p < to && isWord(s[p])) {
            return -1;
        }
        add(EMAIL, ls, p);
        return p;
    }

    private static boolean isLocal(char c) {
        return is(c, DIGIT | ALPHA | UNDERSCORE | HYPHEN | LOCAL_PUNCT);
    }

    // ---- numbers -----------------------------------------------------------------------------

    private int digits(char[] s, int i, int to) {
        if (on(IP) && hexThenColon(s, i, to)) {
            int r = ipv6(s, i, to);
            if (r > 0) {
                return r;
            }
        }
        if ((enabled & NUMERIC) != 0) {
            return numeric(s, i, to);
        }
        int p = i;
        while (p < to && isWord(s[p])) {
            p++;
        }
        return p;
    }

    private int numeric(char[] s, int i, int to) {
        if (gs == null) {
            gs = new int[MAX_GROUPS];
            ge = new int[MAX_GROUPS];
            seps = new char[MAX_GROUPS];
        }
        boolean plus = s[i] == '+';
        int p = plus ? i + 1 : i;
        int n = 0;
        boolean more = false;
        while (true) {
            int st = p;
            while (p < to && isDigit(s[p])) {
                p++;
            }
            gs[n] = st;
            ge[n] = p;
            n++;
            boolean sep = p + 1 < to && isSep(s[p]) && isDigit(s[p + 1]);
            if (!sep) {
                break;
            }
            if (n == MAX_GROUPS) {
                more = true;
                break;
            }
            seps[n - 1] = s[p];
            p++;
        }
        boolean glued = p < to && (isWord(s[p]) || s[p] == '@');
        int total = 0;
        for (int k = 0; k < n; k++) {
            total += ge[k] - gs[k];
        }
        if (total < 8 && n < 4) {
            return p; // every pattern needs at least 8 digits, or four groups (IPv4)
        }
        int g = 0;
        while (g < n) {
            if (more && g >= n - 4) {
                // The run goes on past the groups read: continue from here with a fresh run, so a
                // number spanning the cut is still seen whole.
                return gs[g];
            }
            int matched = -1;
            int kind = 0;
            for (int h = Math.min(n - 1, g + 4); h >= g && matched < 0; h--) {
                if (g > 0 && seps[g - 1] != ' ' || h < n - 1 && seps[h] != ' ' || h == n - 1 && (glued || more)) {
                    continue;
                }
                kind = classify(s, g, h, plus && g == 0);
                if (kind != 0) {
                    matched = h;
                }
            }
            if (matched >= 0) {
                add(kind, plus && g == 0 ? gs[0] - 1 : gs[g], ge[matched]);
                g = matched + 1;
            } else {
                g++;
            }
        }
        return p;
    }

    private int classify(char[] s, int g, int h, boolean plus) {
        int groups = h - g + 1;
        int digits = 0;
        for (int k = g; k <= h; k++) {
            digits += ge[k] - gs[k];
        }
        if (plus) {
            return on(PHONE) && digits >= 8 && digits <= 15 ? PHONE : 0;
        }
        if (on(IP) && groups == 4 && sepsAre(g, h, '.') && ipv4Groups(s, g)) {
            return IP;
        }
        if (sepsContain(g, h, '.')) {
            return on(PHONE) && groups == 3 && phone3(s, g) ? PHONE : 0;
        }
        if (on(RRN) && rrn(s, g, h, groups)) {
            return RRN;
        }
        if (on(CARD) && digits >= 13 && digits <= 19 && card(s, g, h, groups)) {
            return CARD;
        }
        if (on(PHONE) && (groups == 3 && phone3(s, g) || groups == 1 && (digits == 10 || digits == 11)
                && s[gs[g]] == '0' && s[gs[g] + 1] == '1' && isMobileThird(s[gs[g] + 2]))) {
            return PHONE;
        }
        if (on(BANK) && (groups == 3 || groups == 4) && sepsAre(g, h, '-') && digits >= 10 && digits <= 14) {
            for (int k = g; k <= h; k++) {
                int len = ge[k] - gs[k];
                if (len < 2 || len > 6) {
                    return 0;
                }
            }
            return BANK;
        }
        return 0;
    }

    private boolean sepsAre(int g, int h, char c) {
        for (int k = g; k < h; k++) {
            if (seps[k] != c) {
                return false;
            }
        }
        return true;
    }

    private boolean sepsContain(int g, int h, char c) {
        for (int k = g; k < h; k++) {
            if (seps[k] == c) {
                return true;
            }
        }
        return false;
    }

    private boolean ipv4Groups(char[] s, int g) {
        for (int k = g; k < g + 4; k++) {
            int len = ge[k] - gs[k];
            if (len < 1 || len > 3 || len > 1 && s[gs[k]] == '0') {
                return false;
            }
            int v = 0;
            for (int q = gs[k]; q < ge[k]; q++) {
                v = v * 10 + (s[q] - '0');
            }
            if (v > 255) {
                return false;
            }
        }
        return true;
    }

    /** Korean mobile/landline/VoIP numbers and North American numbers in three groups. */
    private boolean phone3(char[] s, int g) {
        int l0 = ge[g] - gs[g];
        int l1 = ge[g + 1] - gs[g + 1];
        int l2 = ge[g + 2] - gs[g + 2];
        if (l2 != 4 || l1 < 3 || l1 > 4) {
            return false;
        }
        int a = gs[g];
        if (s[a] == '0') {
            if (l0 == 2) {
                return s[a + 1] == '2';
            }
            if (l0 == 3) {
                char b = s[a + 1];
                char c = s[a + 2];
                return b == '1' && isMobileThird(c) || b >= '3' && b <= '6' && c >= '1' && c <= '5'
                        || b == '7' && c == '0';
            }
            return l0 == 4 && s[a + 1] == '5' && s[a + 2] == '0';
        }
        return l0 == 3 && l1 == 3 && s[a] >= '2';
    }

    private static boolean isMobileThird(char c) {
        return c == '0' || c == '1' || c == '6' || c == '7' || c == '8' || c == '9';
    }

    private boolean rrn(char[] s, int g, int h, int groups) {
        int a;
        if (groups == 1 && ge[g] - gs[g] == 13) {
            a = gs[g];
        } else if (groups == 2 && ge[g] - gs[g] == 6 && ge[h] - gs[h] == 7 && seps[g] == '-') {
            a = -1;
        } else {
            return false;
        }
        int[] d = new int[13];
        int k = 0;
        for (int q = g; q <= h; q++) {
            for (int x = gs[q]; x < ge[q]; x++) {
                d[k++] = s[x] - '0';
            }
        }
        int yy = d[0] * 10 + d[1];
        int mm = d[2] * 10 + d[3];
        int dd = d[4] * 10 + d[5];
        int sex = d[6];
        if (mm < 1 || mm > 12 || dd < 1 || dd > 31 || sex < 1 || sex > 8) {
            return false;
        }
        if (a < 0) {
            return true; // hyphenated: the date and the hyphen are signal enough (post-2020 numbers carry no checksum)
        }
        int[] w = {2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5};
        int sum = 0;
        for (int x = 0; x < 12; x++) {
            sum += d[x] * w[x];
        }
        if ((11 - sum % 11) % 10 == d[12]) {
            return true;
        }
        boolean born2000s = sex == 3 || sex == 4 || sex == 7 || sex == 8;
        return born2000s && (yy > 20 || yy == 20 && mm >= 10);
    }

    private boolean card(char[] s, int g, int h, int groups) {
        char first = s[gs[g]];
        if (!(first >= '2' && first <= '6' || first == '9')) {
            return false;
        }
        if (groups > 1) {
            char sep = seps[g];
            if (sep != ' ' && sep != '-' || !sepsAre(g, h, sep)) {
                return false;
            }
            boolean fours = true;
            for (int k = g; k < h; k++) {
                fours &= ge[k] - gs[k] == 4;
            }
            int last = ge[h] - gs[h];
            boolean amex = groups == 3 && ge[g] - gs[g] == 4 && ge[g + 1] - gs[g + 1] == 6 && (last == 4 || last == 5);
            if (!(fours && last >= 1 && last <= 4 || amex)) {
                return false;
            }
        }
        int sum = 0;
        boolean dbl = false;
        for (int k = h; k >= g; k--) {
            for (int x = ge[k] - 1; x >= gs[k]; x--) {
                int v = s[x] - '0';
                if (dbl) {
                    v *= 2;
                    if (v > 9) {
                        v -= 9;
                    }
                }
                sum += v;
                dbl = !dbl;
            }
        }
        return sum % 10 == 0;
    }

    // ---- IPv6 --------------------------------------------------------------------------------

    private static boolean hexThenColon(char[] s, int i, int to) {
        int p = i;
        while (p < to && p - i < 5 && isHex(s[p])) {
            p++;
        }
        return p < to && s[p] == ':' && p - i <= 4;
    }

    private int ipv6(char[] s, int i, int to) {
        int max = Math.min(to, i + 46);
        int e = i;
        while (e < max && (isHex(s[e]) || s[e] == ':' || s[e] == '.')) {
            e++;
        }
        if (e == max && e < to && (isHex(s[e]) || s[e] == ':' || s[e] == '.') || e < to && isWord(s[e])) {
            return -1;
        }
        while (e > i && s[e - 1] == '.') {
            e--;
        }
        int groups = 0;
        int colons = 0;
        boolean compressed = false;
        int p = i;
        if (p + 1 < e && s[p] == ':' && s[p + 1] == ':') {
            compressed = true;
            p += 2;
            colons += 2;
        } else if (p < e && s[p] == ':') {
            return -1;
        }
        while (p < e) {
            int st = p;
            while (p < e && isHex(s[p])) {
                p++;
            }
            if (p < e && s[p] == '.') {
                // an embedded IPv4 address ends the address
                int dots = 0;
                int q = st;
                int v = -1;
                while (q < e) {
                    char c = s[q];
                    if (isDigit(c)) {
                        v = (v < 0 ? 0 : v * 10) + (c - '0');
                        if (v > 255) {
                            return -1;
                        }
                    } else if (c == '.' && v >= 0) {
                        dots++;
                        v = -1;
                    } else {
                        return -1;
                    }
                    q++;
                }
                if (dots != 3 || v < 0) {
                    return -1;
                }
                groups += 2;
                p = e;
                break;
            }
            int len = p - st;
            if (len == 0 || len > 4) {
                return -1;
            }
            groups++;
            if (p == e) {
                break;
            }
            // s[p] == ':'
            colons++;
            p++;
            if (p < e && s[p] == ':') {
                if (compressed) {
                    return -1;
                }
                compressed = true;
                colons++;
                p++;
                if (p == e) {
                    break;
                }
            } else if (p == e) {
                return -1;
            }
        }
        if (groups == 0 || colons < 2 || groups > 8 || !compressed && groups != 8 || compressed && groups > 7) {
            return -1;
        }
        add(IP, i, e);
        return e;
    }

    // ---- words: JWTs, secrets, high-entropy tokens -----------------------------------------------

    private int word(char[] s, int i, int to) {
        char c = s[i];
        if (on(IP) && isHex(c) && hexThenColon(s, i, to)) {
            int r = ipv6(s, i, to);
            if (r > 0) {
                return r;
            }
        }
        int w1 = i;
        while (w1 < to && isWord(s[w1])) {
            w1++;
        }
        if (on(JWT) && c == 'e' && i + 3 < to && s[i + 1] == 'y' && s[i + 2] == 'J') {
            return jwt(s, i, to);
        }
        if (on(SECRET)) {
            int r = secret(s, i, w1, to);
            if (r > 0) {
                return r;
            }
        }
        if (on(ENTROPY)) {
            int r = entropy(s, i, to);
            if (r > 0) {
                return r;
            }
        }
        return w1;
    }

    /** A match's end, or the end of the first part (a word starting with {@code eyJ} is skipped whole). */
    private int jwt(char[] s, int i, int to) {
        int p = i;
        int parts = 0;
        int part1End = -1;
        int firstLen = 0;
        int prevEnd = i;
        while (true) {
            int st = p;
            while (p < to && isB64Url(s[p])) {
                p++;
            }
            parts++;
            if (parts == 1) {
                part1End = p;
                firstLen = p - st;
            }
            if (p - st == 0 && parts > 3) {
                parts--;
                p = prevEnd;
                break;
            }
            prevEnd = p;
            if (parts < 5 && p < to && s[p] == '.' && (p + 1 < to || parts == 2)) {
                p++;
            } else {
                break;
            }
        }
        if ((parts == 3 || parts == 5) && firstLen >= 10 && !(p < to && isWord(s[p]))) {
            add(JWT, i, p);
            return p;
        }
        return part1End;
    }

    private static final String[] PREFIXES = {
        "aegis_live_", "aegis_test_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xoxb-", "xoxp-",
        "xoxa-", "xoxr-", "xoxs-", "xoxe-", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "sk-", "glpat-", "npm_"};
    private static final int[] PREFIX_MIN_BODY = {16, 16, 30, 30, 30, 30, 30, 22, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10,
        20, 20, 30};

    private int secret(char[] s, int i, int w1, int to) {
        char c = s[i];
        // AWS access key ids: AKIA/ASIA + 16 upper-case letters or digits.
        if ((c == 'A') && w1 - i == 20 && (startsWith(s, i, to, "AKIA") || startsWith(s, i, to, "ASIA"))) {
            boolean ok = true;
            for (int x = i + 4; x < w1; x++) {
                ok &= isDigit(s[x]) || s[x] >= 'A' && s[x] <= 'Z';
            }
            if (ok) {
                add(SECRET, i, w1);
                return w1;
            }
        }
        if (c == 'A' && startsWith(s, i, to, "AIza")) {
            int r = runOf(s, i, to, true);
            if (r - i == 39) {
                add(SECRET, i, r);
                return r;
            }
        }
        for (int k = 0; k < PREFIXES.length; k++) {
            String pre = PREFIXES[k];
            if (c == pre.charAt(0) && startsWith(s, i, to, pre)) {
                int r = runOf(s, i, to, true);
                if (r - i - pre.length() >= PREFIX_MIN_BODY[k] && !(r < to && s[r] == '.' && r + 1 < to && isAlnum(s[r + 1]))) {
                    add(SECRET, i, r);
                    return r;
                }
                return r;
            }
        }
        int len = w1 - i;
        if ((len == 6 || len == 5) && (equalsIgnoreCase(s, i, "bearer") || equalsIgnoreCase(s, i, "basic"))) {
            int r = credentials(s, i, w1, to, len == 5);
            if (r > 0) {
                return r;
            }
        }
        return assignment(s, i, to);
    }

    /** {@code Bearer <token>} or {@code Basic <base64(user:password)>}: the credential is masked, the scheme kept. */
    private int credentials(char[] s, int i, int w1, int to, boolean basic) {
        int p = w1;
        while (p < to && p - w1 < 4 && s[p] == ' ') {
            p++;
        }
        if (p == w1) {
            return -1;
        }
        int st = p;
        int max = Math.min(to, st + 8192);
        boolean symbolOrDigit = false;
        while (p < max && (isAlnum(s[p]) || s[p] == '-' || s[p] == '.' || s[p] == '_' || s[p] == '~' || s[p] == '+'
                || s[p] == '/')) {
            symbolOrDigit |= !isAlpha(s[p]);
            p++;
        }
        while (p < max && s[p] == '=') {
            p++;
        }
        int len = p - st;
        if (p < to && isWord(s[p])) {
            return -1;
        }
        if (basic) {
            if (len < 8 || len > 1024) {
                return -1;
            }
            byte[] raw;
            try {
                raw = Base64.getDecoder().decode(new String(s, st, len));
            } catch (IllegalArgumentException e) {
                return -1;
            }
            boolean colon = false;
            for (byte b : raw) {
                colon |= b == ':';
            }
            if (!colon) {
                return -1;
            }
        } else if (len < 16 || !symbolOrDigit) {
            return -1;
        }
        add(SECRET, st, p);
        return p;
    }

    /** {@code password=…}, {@code "api_key": "…"}: the value is masked, the key kept. */
    private int assignment(char[] s, int i, int to) {
        if (i > scanFrom && (isWord(s[i - 1]) || s[i - 1] == '-')) {
            return -1; // inside a hyphenated word: not where a key starts
        }
        int k = i;
        int max = Math.min(to, i + 33);
        while (k < max && (isWord(s[k]) || s[k] == '-')) {
            k++;
        }
        if (k == max || !isKey(s, i, k)) {
            return -1;
        }
        int p = skipQuote(s, k, to);
        p = skipSpaces(s, p, to);
        if (p >= to || s[p] != '=' && s[p] != ':') {
            return -1;
        }
        p = skipSpaces(s, p + 1, to);
        char quote = 0;
        int q = skipQuote(s, p, to);
        if (q > p) {
            quote = s[q - 1];
            p = q;
        }
        int st = p;
        int vmax = Math.min(to, st + 256);
        while (p < vmax) {
            char c = s[p];
            if (quote != 0 ? c == quote || c == '\\' && p + 1 < to && s[p + 1] == quote
                    : c <= ' ' || c == '"' || c == '\'' || c == '&' || c == ',' || c == ';' || c == '}' || c == ')'
                    || c == ']' || c == '<' || c == '>') {
                break;
            }
            p++;
        }
        if (p == st || s[st] == '[' || s[st] == '*') {
            return -1;
        }
        add(SECRET, st, p);
        return p;
    }

    /** Skips a quote, or a backslash-escaped quote (JSON inside a log line). */
    private static int skipQuote(char[] s, int p, int to) {
        if (p < to && (s[p] == '"' || s[p] == '\'')) {
            return p + 1;
        }
        if (p + 1 < to && s[p] == '\\' && (s[p + 1] == '"' || s[p + 1] == '\'')) {
            return p + 2;
        }
        return p;
    }

    private static int skipSpaces(char[] s, int p, int to) {
        int n = 0;
        while (p < to && n < 3 && s[p] == ' ') {
            p++;
            n++;
        }
        return p;
    }

    private static boolean isKey(char[] s, int from, int to) {
        int len = to - from;
        outer:
        for (String key : KEYS) {
            if (key.length() != len) {
                continue;
            }
            for (int x = 0; x < len; x++) {
                char c = s[from + x];
                if (c == '-') {
                    c = '_';
                } else if (c >= 'A' && c <= 'Z') {
                    c = (char) (c + 32);
                }
                if (c != key.charAt(x)) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private int entropy(char[] s, int i, int to) {
        if (i > scanFrom && isTokenChar(s[i - 1])) {
            return -1; // only whole tokens: each is measured once, from its first character
        }
        int max = Math.min(to, i + 513);
        int p = i;
        boolean letter = false;
        boolean digit = false;
        while (p < max && isTokenChar(s[p])) {
            letter |= isAlpha(s[p]);
            digit |= isDigit(s[p]);
            p++;
        }
        int len = p - i;
        if (len < 20 || len > 512 || !letter || !digit || p < to && isTokenChar(s[p])) {
            return -1;
        }
        if (histogram == null) {
            histogram = new int[128];
        } else {
            Arrays.fill(histogram, 0);
        }
        for (int x = i; x < p; x++) {
            histogram[s[x]]++;
        }
        double h = 0;
        for (int v : histogram) {
            if (v > 0) {
                double q = (double) v / len;
                h -= q * (Math.log(q) / Math.log(2));
            }
        }
        double threshold = 0.8 * (Math.log(Math.min(len, 64)) / Math.log(2));
        if (h < threshold) {
            return -1;
        }
        add(ENTROPY, i, p);
        return p;
    }

    // ---- PEM private keys --------------------------------------------------------------------

    private int pem(char[] s, int i, int to) {
        if (!startsWith(s, i, to, "-----BEGIN ")) {
            return i + 1;
        }
        int h = i + 11;
        int max = Math.min(to, h + 64);
        int close = -1;
        for (int x = h; x + 5 <= max; x++) {
            if (startsWith(s, x, to, "-----")) {
                close = x;
                break;
            }
        }
        if (close < 0 || !contains(s, h, close, "PRIVATE KEY")) {
            return i + 1;
        }
        int p = close + 5;
        while (p < to && !startsWith(s, p, to, "-----END")) {
            char c = s[p];
            if (isAlnum(c) || c == '+' || c == '/' || c == '=' || c == ' ' || c == '\t' || c == '\r' || c == '\n'
                    || c == ':' || c == ',' || c == '-' || c == '\\') {
                p++;
            } else {
                break;
            }
        }
        if (startsWith(s, p, to, "-----END")) {
            int emax = Math.min(to, p + 8 + 64);
            for (int x = p + 8; x + 5 <= emax; x++) {
                if (startsWith(s, x, to, "-----")) {
                    p = x + 5;
                    break;
                }
            }
        }
        add(SECRET, i, p);
        return p;
    }

    // ---- character classes -------------------------------------------------------------------

    private int runOf(char[] s, int i, int to, boolean hyphen) {
        int p = i;
        while (p < to && (isWord(s[p]) || hyphen && s[p] == '-')) {
            p++;
        }
        return p;
    }

    static boolean startsWith(char[] s, int i, int to, String p) {
        int n = p.length();
        if (to - i < n) {
            return false;
        }
        for (int x = 0; x < n; x++) {
            if (s[i + x] != p.charAt(x)) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(char[] s, int from, int to, String p) {
        for (int x = from; x + p.length() <= to; x++) {
            if (startsWith(s, x, to, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean equalsIgnoreCase(char[] s, int i, String lower) {
        for (int x = 0; x < lower.length(); x++) {
            char c = s[i + x];
            if (c >= 'A' && c <= 'Z') {
                c = (char) (c + 32);
            }
            if (c != lower.charAt(x)) {
                return false;
            }
        }
        return true;
    }

    // Character classes of ASCII by table: one load and a mask instead of chains of comparisons.
    private static final byte DIGIT = 1;
    private static final byte ALPHA = 2;
    private static final byte HEX = 4;
    private static final byte UNDERSCORE = 8;
    private static final byte HYPHEN = 16;
    private static final byte LOCAL_PUNCT = 32; // . % + (with - and _: the e-mail local part)
    private static final byte SEP = 64; // - space . between digit groups
    private static final byte[] CLASS = new byte[128];

    static {
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT | HEX;
        }
        for (char c = 'a'; c <= 'z'; c++) {
            CLASS[c] = (byte) (ALPHA | (c <= 'f' ? HEX : 0));
            CLASS[c - 32] = (byte) (ALPHA | (c <= 'f' ? HEX : 0));
        }
        CLASS['_'] = UNDERSCORE;
        CLASS['-'] = HYPHEN | SEP;
        CLASS['.'] = LOCAL_PUNCT | SEP;
        CLASS['%'] = LOCAL_PUNCT;
        CLASS['+'] = LOCAL_PUNCT;
        CLASS[' '] = SEP;
    }

    private static boolean is(char c, int mask) {
        return c < 128 && (CLASS[c] & mask) != 0;
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isAlpha(char c) {
        return is(c, ALPHA);
    }

    static boolean isAlnum(char c) {
        return is(c, DIGIT | ALPHA);
    }

    static boolean isWord(char c) {
        return is(c, DIGIT | ALPHA | UNDERSCORE);
    }

    private static boolean isHex(char c) {
        return is(c, HEX);
    }

    private static boolean isB64Url(char c) {
        return is(c, DIGIT | ALPHA | UNDERSCORE | HYPHEN);
    }

    private static boolean isTokenChar(char c) {
        return isAlnum(c) || c == '+' || c == '/' || c == '_' || c == '=' || c == '-';
    }

    private static boolean isSep(char c) {
        return is(c, SEP);
    }
}
