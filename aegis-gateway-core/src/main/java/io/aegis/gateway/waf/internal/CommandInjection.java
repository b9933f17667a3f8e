package io.aegis.gateway.waf.internal;

import java.util.Set;

/**
 * Command injection by shell grammar: after a command separator ({@code ;}, {@code |},
 * {@code ||}, {@code &&}, {@code &}, a newline) or inside a substitution ({@code `...`},
 * {@code $(...)}), the next word, with quoting tricks removed ({@code c''at}, {@code c\at},
 * {@code /bin/cat}), must be a command and its arguments must look like shell arguments (an
 * option, a path, a variable, an address, the end of the value). Also {@code ${IFS}},
 * {@code /dev/tcp/} and the Shellshock function prefix.
 *
 * <p>Unambiguous commands ({@code whoami}, {@code wget}, {@code bash}) count after any separator;
 * words that are also English ({@code cat}, {@code id}, {@code sleep}) need shell-like arguments.
 */
public final class CommandInjection {

    private static final Set<String> STRONG = java.util.Set.copyOf(java.util.Arrays.asList("whoami", "uname", "ifconfig", "ipconfig", "netstat", "nslookup",
            "wget", "curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh", "csh", "tcsh", "dash", "powershell",
            "pwsh", "cmd", "cmd.exe", "powershell.exe", "python", "python2", "python3", "perl", "ruby", "php",
            "telnet", "systeminfo", "tasklist", "chmod", "chown", "rm", "mkfifo", "xterm", "socat", "certutil",
            "bitsadmin", "wmic", "msiexec", "regsvr32", "rundll32", "mshta", "cscript", "wscript", "lua", "node",
            "nohup", "busybox", "crontab", "useradd", "passwd", "shutdown", "reboot", "base64", "xxd", "tftp",
            "dig", "host", "traceroute", "tracert", "getent", "sudo", "su", "ssh", "scp", "ftp", "nmap", "gcc",
            "env", "printenv", "hostname", "cat", "ls", "id", "pwd", "ps", "dir", "type", "echo", "ping", "sleep",
            "net", "whois", "awk", "sed", "grep", "head", "tail", "more", "less", "find", "kill", "touch", "cp",
            "mv", "set", "ver", "timeout", "expr", "uptime", "who", "w", "last", "lsb_release", "groups", "ifup",
            "route", "arp", "reg", "sc", "del", "copy", "start", "call", "eval", "exec", "printf", "od", "strings",
            "file", "wc", "sort", "uniq", "nl", "rev", "tac", "cut", "tee", "dd", "xargs", "chattr", "mknod"));
    /** Commands that are also common English words: they need shell-like arguments. */
    private static final Set<String> WEAK = java.util.Set.copyOf(java.util.Arrays.asList("cat", "id", "ls", "type", "echo", "ping", "sleep", "net", "more",
            "less", "find", "kill", "touch", "cp", "mv", "set", "head", "tail", "who", "w", "last", "groups", "route",
            "arp", "reg", "sc", "del", "copy", "start", "call", "eval", "exec", "file", "sort", "nl", "rev", "cut",
            "tee", "dir", "ver", "timeout", "expr", "host", "dig", "env", "su", "ssh", "ftp", "php", "node", "lua",
            "ps", "sh", "dd", "od", "strings", "wc", "uniq", "tac", "printf", "awk", "sed", "grep", "hostname",
            "uptime", "passwd", "shutdown", "reboot", "base64", "curl", "wget", "python", "perl", "ruby", "rm",
            "telnet", "nc", "cmd", "sudo", "find", "whois", "file", "pwd"));

    /** Weak commands that are suspicious even without arguments, after a strong separator. */
    private static final Set<String> END_OK = java.util.Set.copyOf(java.util.Arrays.asList("id", "ls", "pwd", "ps", "env", "dir", "uptime", "hostname",
            "printenv", "passwd", "sh", "cmd", "nc", "telnet", "sudo", "su", "curl", "wget", "python", "perl", "ruby",
            "php", "node", "lua", "ver", "groups", "reboot", "shutdown", "base64"));

    private CommandInjection() {
    }

    /** The rule that matched, or {@code null}. {@code v} is normalized and lower-cased. */
    public static String detect(String v, int paranoia) {
        int n = v.length();
        if (v.startsWith("() {") || v.startsWith("(){")) {
            return "cmdi-shellshock";
        }
        if (v.indexOf('$') >= 0 && (v.contains("${ifs") || v.contains("$ifs"))
                || v.indexOf("/dev/") >= 0 && (v.contains("/dev/tcp/") || v.contains("/dev/udp/"))) {
            return "cmdi-shell-construct";
        }
        // computed once: each check below must stay constant-time per character
        int firstNewline = v.indexOf('\n');
        int firstSpace = v.indexOf(' ');
        boolean firstLineHasSpace = firstSpace >= 0 && (firstNewline < 0 || firstSpace < firstNewline);
        int firstLetter = -1;
        int lastLetter = -1;
        if (v.indexOf('`') >= 0) {
            for (int k = 0; k < n; k++) {
                if (Character.isLetter(v.charAt(k))) {
                    lastLetter = k;
                    if (firstLetter < 0) {
                        firstLetter = k;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            int after = -1;
            boolean substitution = false;
            if (c == '\n' && paranoia < 2 && (firstLineHasSpace || i > firstNewline && firstSpace >= 0 && firstSpace < i)) {
                continue; // lines of a multi-line text or snippet; an injected newline follows a bare value
            }
            if (c == ';' || c == '\n' || c == '|' || c == '&') {
                after = i + 1;
                if (after < n && (v.charAt(after) == '|' || v.charAt(after) == '&')) {
                    after++;
                }
                if (c == '&' && i > 0 && i + 1 < n && v.charAt(i + 1) != '&' && Character.isLetterOrDigit(v.charAt(i - 1))
                        && Character.isLetterOrDigit(v.charAt(i + 1))) {
                    continue; // "R&D", "a&b": an ampersand inside a word
                }
            } else if (c == '`') {
                after = i + 1;
                substitution = true;
                if (paranoia < 2 && i > 0 && v.charAt(i - 1) == ' ' && i > 1 && Character.isLetter(v.charAt(i - 2))) {
                    continue; // markdown inline code in prose: "run `ls -la`"
                }
                int close = v.indexOf('`', i + 1);
                if (paranoia < 2 && close > i + 1 && inlineCode(v, i, close, firstLetter, lastLetter)) {
                    i = close; // "* `type` {string} The type": a code span between words of prose
                    continue;
                }
            } else if (c == '$' && i + 1 < n && v.charAt(i + 1) == '(') {
                // $(...) is command substitution; ${...} is only parameter expansion (${IFS} is handled above)
                after = i + 2;
                substitution = true;
            } else if (i == 0 && paranoia >= 3) {
                after = 0;
            }
            if (after < 0) {
                continue;
            }
            int p = i - 1;
            while (p >= 0 && v.charAt(p) == ' ') {
                p--;
            }
            boolean leading = p < 0;
            boolean strongSeparator = c != '&' || after > i + 1 || leading || !Character.isLetter(v.charAt(p));
            String r = command(v, after, substitution, strongSeparator, leading && !substitution, paranoia);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    /**
     * A backtick span that reads as markdown inline code: it stands apart like a word (after a line
     * start, a space or an opening bracket; before a space or punctuation) and the value has a word of
     * prose outside it. A shell payload is the substitution alone or glued to a value.
     */
    private static boolean inlineCode(String v, int open, int close, int firstLetter, int lastLetter) {
        int n = v.length();
        if (open > 0 && " \t\n([*>\"".indexOf(v.charAt(open - 1)) < 0
                || close + 1 < n && " \t\n.,;:)]'!?{\"".indexOf(v.charAt(close + 1)) < 0) {
            return false;
        }
        return firstLetter >= 0 && (firstLetter < open || lastLetter > close); // a letter of prose outside the span
    }

    private static String command(String v, int from, boolean substitution, boolean strongSeparator, boolean leading,
            int paranoia) {
        int n = v.length();
        int i = from;
        while (i < n && (v.charAt(i) == ' ' || v.charAt(i) == '\t' || v.charAt(i) == '{' || v.charAt(i) == '(' || v.charAt(i) == '!')) {
            i++;
        }
        // a path prefix: /bin/cat, /usr/bin/id, ./x, c:\windows\system32\cmd.exe
        int wordStart = i;
        StringBuilder word = new StringBuilder(16);
        int limit = Math.min(n, i + 64);
        while (i < limit) {
            char c = v.charAt(i);
            if (c == '\'' || c == '"' || c == '\\' || c == '^') {
                i++; // quoting tricks inside a word: c''at, c\at, w^hoami
                continue;
            }
            if (c == '/') {
                word.setLength(0);
                i++;
                continue;
            }
            if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' && word.length() > 0) {
                word.append(c);
                i++;
                continue;
            }
            break;
        }
        if (word.length() == 0 || i == wordStart) {
            return null;
        }
        String w = word.toString();
        if (w.endsWith(".exe")) {
            w = w.substring(0, w.length() - 4);
        }
        if (!STRONG.contains(w)) {
            return null;
        }
        boolean hadPath = v.indexOf('/', wordStart) >= 0 && v.indexOf('/', wordStart) < i;
        // what follows the command word
        int j = i;
        while (j < n && (v.charAt(j) == ' ' || v.charAt(j) == '\t' || v.charAt(j) == ',')) {
            j++;
        }
        boolean end = j >= n || "`);|&\n}'\"#".indexOf(v.charAt(j)) >= 0;
        boolean spaced = j > i;
        if (!WEAK.contains(w) || hadPath) {
            return end || spaced || v.charAt(i) == '$' || v.charAt(i) == '<' || v.charAt(i) == '>'
                    ? "cmdi-command" : null;
        }
        if (end) {
            return substitution || strongSeparator && END_OK.contains(w) || paranoia >= 2 ? "cmdi-command" : null;
        }
        if (!spaced && v.charAt(i) != '$' && v.charAt(i) != '<' && v.charAt(i) != '>') {
            return null;
        }
        char a = v.charAt(j);
        if (leading && strongSeparator) {
            return "cmdi-command"; // the value starts with a separator and a command: it only makes sense to a shell
        }
        int argEnd = j;
        while (argEnd < n && v.charAt(argEnd) != ' ' && argEnd - j < 256) {
            argEnd++;
        }
        String firstArg = v.substring(j, argEnd);
        if (firstArg.indexOf('/') >= 0 || firstArg.indexOf('\\') >= 0 || firstArg.indexOf(':') >= 0
                || firstArg.indexOf('=') >= 0 && !w.equals("set")) {
            return "cmdi-command";
        }
        if (w.equals("net") && (firstArg.equals("user") || firstArg.equals("localgroup") || firstArg.equals("view")
                || firstArg.equals("share") || firstArg.equals("use") || firstArg.equals("session"))) {
            return "cmdi-command";
        }
        if (a == '-' || a == '/' || a == '$' || a == '~' || a == '<' || a == '>' || a == '`' || a == '*'
                || a == '.' && j + 1 < n && (v.charAt(j + 1) == '/' || v.charAt(j + 1) == '.')
                || a == '%' || a == '\\' && j + 1 < n && v.charAt(j + 1) != ' ') {
            return "cmdi-command";
        }
        if (Character.isDigit(a)) {
            // ping 127.0.0.1, sleep 5: a number or address and then the end
            int k = j;
            while (k < n && (Character.isDigit(v.charAt(k)) || v.charAt(k) == '.')) {
                k++;
            }
            while (k < n && v.charAt(k) == ' ') {
                k++;
            }
            if (k >= n || "`);|&\n#".indexOf(v.charAt(k)) >= 0) {
                return "cmdi-command";
            }
        }
        if (a >= 'a' && a <= 'z' && (w.equals("cat") || w.equals("type") || w.equals("more") || w.equals("less")
                || w.equals("head") || w.equals("tail"))) {
            // cat index.php, type boot.ini: a file name with an extension and then the end
            int k = j;
            while (k < n && (Character.isLetterOrDigit(v.charAt(k)) || v.charAt(k) == '.' || v.charAt(k) == '_')) {
                k++;
            }
            String arg = v.substring(j, k);
            if (arg.indexOf('.') > 0 && (k >= n || "`);|&\n#".indexOf(v.charAt(k)) >= 0)) {
                return "cmdi-command";
            }
        }
        return substitution && paranoia >= 2 ? "cmdi-substitution" : null;
    }
}
