package io.aegis.gateway.waf.internal;

/**
 * Path traversal by canonicalization: backslashes become slashes and {@code ..} segments are
 * counted (the value arrives percent-decoded, overlong UTF-8 included). Paranoia level 1 reports a
 * path that climbs ({@code ../} in a request path, a value that starts with {@code ../} or climbs
 * twice, any encoded climb) and absolute paths of well-known sensitive files; level 2 any
 * {@code ../}; level 3 any {@code ..} segment or sensitive file name.
 */
public final class Traversal {

    private static final String[] SENSITIVE = {"/etc/passwd", "/etc/shadow", "/etc/group", "/etc/hosts",
            "/etc/issue", "/etc/master.passwd", "/proc/self/", "/proc/version", "/proc/1/", "/var/log/",
            "/root/.ssh", "/.ssh/id_rsa", "/.ssh/authorized_keys", "/.bash_history", "/windows/win.ini",
            "/windows/system.ini", "/windows/system32", "/boot.ini", "/winnt/", "/inetpub/", "/web-inf/web.xml",
            "/web-inf/", "/meta-inf/", "/.htaccess", "/.htpasswd", "/.env", "/.git/", "/etc/apache2/",
            "/etc/nginx/", "/usr/local/etc/", "/.aws/credentials", "/.docker/config.json", "/etc/sudoers"};

    /** The sensitive paths by the character after their leading slash. */
    private static final String[][] BY_FIRST = new String[128][];

    static {
        for (String f : SENSITIVE) {
            char c = f.charAt(1);
            String[] old = BY_FIRST[c];
            String[] next = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            next[next.length - 1] = f;
            BY_FIRST[c] = next;
        }
    }

    private Traversal() {
    }

    /**
     * @param v the decoded value
     * @param encoded whether the raw value hid dots or slashes in an encoding
     * @param path whether the value is (part of) the request path
     */
    public static String detect(String v, boolean encoded, boolean path, int paranoia) {
        String s = v.indexOf('\\') >= 0 ? v.replace('\\', '/') : v;
        if (s.contains("...")) {
            // filters that strip "../" once leave "../" behind: ....//, ..././
            s = s.replace("....//", "../").replace("..././", "../").replace("...//", "../");
        }
        int n = s.length();
        int climbs = 0;
        boolean startsWithClimb = false;
        int dots = s.indexOf("..");
        if (dots >= 0) {
            for (int i = dots; i + 1 < n; i++) {
                if (s.charAt(i) == '.' && s.charAt(i + 1) == '.'
                        && (i == 0 || s.charAt(i - 1) == '/' || s.charAt(i - 1) == '=' || s.charAt(i - 1) == ' '
                        || s.charAt(i - 1) == '"' || s.charAt(i - 1) == '\'' || s.charAt(i - 1) == ':')
                        && (i + 2 == n || s.charAt(i + 2) == '/' || s.charAt(i + 2) == ';'
                        || s.charAt(i + 2) == '%' || s.charAt(i + 2) == '?' || s.charAt(i + 2) == 0)) {
                    if (i == 0 || i + 2 < n && s.charAt(i + 2) == '/' && i <= 3) {
                        startsWithClimb = startsWithClimb || i == 0;
                    }
                    climbs++;
                    i++;
                }
            }
        }
        if (climbs > 0) {
            // two climbs in a value that is a path (no spaces) or starts with them; prose may link "../../README.md"
            boolean pathLike = s.indexOf(' ') < 0 || startsWithClimb || s.startsWith("..", dots) && dots < 4;
            if (path || encoded || climbs >= 2 && pathLike || startsWithClimb && n >= 3 || paranoia >= 2) {
                return encoded ? "traversal-encoded" : "traversal-climb";
            }
        }
        for (int at = s.indexOf('/'); at >= 0 && at + 1 < n; at = s.indexOf('/', at + 1)) {
            char c = Character.toLowerCase(s.charAt(at + 1));
            String[] candidates = c < 128 ? BY_FIRST[c] : null;
            if (candidates == null) {
                continue;
            }
            for (String f : candidates) {
                if (s.regionMatches(true, at, f, 0, f.length())
                        && (climbs > 0 || paranoia >= 3 || sensitiveStart(s.toLowerCase(java.util.Locale.ROOT), at))) {
                    return "traversal-sensitive-file";
                }
            }
        }
        if (paranoia >= 3 && dots >= 0) {
            return "traversal-dots";
        }
        return null;
    }

    /** A sensitive file named as the whole value: {@code /etc/passwd}, {@code c:/windows/win.ini}, {@code file:///etc/passwd}. */
    private static boolean sensitiveStart(String s, int at) {
        int i = at - 1;
        if (i >= 1 && s.charAt(i) == ':' && Character.isLetter(s.charAt(i - 1)) && (i == 1 || !Character.isLetter(s.charAt(i - 2)))) {
            return true; // c:/windows/...
        }
        if (at >= 7 && s.startsWith("file://", at - 7)) {
            return true;
        }
        for (int k = at + 1; k < s.length(); k++) {
            if (s.charAt(k) == ' ') {
                return false; // prose that mentions a file, not a path value
            }
        }
        while (i >= 0 && (s.charAt(i) == ' ' || s.charAt(i) == '/' || s.charAt(i) == '.')) {
            i--;
        }
        if (i >= 0 && s.charAt(at - 1) == ' ' && readerCommand(s, i)) {
            return true; // "/bin/cat /etc/passwd": a command that prints the file
        }
        return i < 0 || "'\";|&=`(".indexOf(s.charAt(i)) >= 0;
    }

    private static final String[] READERS = {"cat", "type", "more", "less", "head", "tail", "tac", "nl", "strings", "xxd"};

    /** The word ending at {@code end} is a command that prints files, standing as the first word or after a path or quote. */
    private static boolean readerCommand(String s, int end) {
        int start = end;
        while (start > 0 && Character.isLetter(s.charAt(start - 1))) {
            start--;
        }
        if (start > 0 && "/\\'\"`;|& ".indexOf(s.charAt(start - 1)) < 0) {
            return false;
        }
        String word = s.substring(start, end + 1);
        for (String r : READERS) {
            if (r.equals(word)) {
                return true;
            }
        }
        return false;
    }
}
