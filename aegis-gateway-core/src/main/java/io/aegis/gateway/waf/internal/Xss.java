package io.aegis.gateway.waf.internal;

import java.util.Set;

/**
 * Cross-site scripting by HTML/JS context: a small tag scanner (tag names, attribute names and
 * values, without building a tree) finds tags that run script (script, iframe, object, embed,
 * ...), event-handler attributes, script URLs in URL attributes and CSS expressions; outside tags,
 * it finds attribute break-outs ({@code " onmouseover=}), JavaScript string break-outs followed by a
 * sink call ({@code ';alert(1)//}), script URLs and template-injection sandbox escapes.
 *
 * <p>One linear pass over the lower-cased, normalized value; never throws.
 */
public final class Xss {

    private static final Set<String> SCRIPT_TAGS = java.util.Set.copyOf(java.util.Arrays.asList("script", "iframe", "frame", "frameset", "object", "embed",
            "applet", "base", "xss", "import", "isindex", "vmlframe", "xml", "bgsound", "portal", "noscript", "layer",
            "ilayer"));
    private static final Set<String> URL_ATTRIBUTES = java.util.Set.copyOf(java.util.Arrays.asList("href", "src", "action", "formaction", "data", "xlink:href",
            "background", "poster", "code", "codebase", "lowsrc", "dynsrc", "srcdoc", "content", "from", "to",
            "values", "by", "ping", "cite", "longdesc", "manifest", "icon", "archive", "classid", "style", "value",
            "folder", "attributename", "itemtype", "profile", "usemap", "xmlns", "srcset"));
    private static final Set<String> EVENTS = java.util.Set.copyOf(java.util.Arrays.asList("onabort", "onafterprint", "onanimationend",
            "onanimationiteration", "onanimationstart", "onanimationcancel", "onauxclick", "onbeforecopy",
            "onbeforecut", "onbeforeinput", "onbeforepaste", "onbeforeprint", "onbeforetoggle", "onbeforeunload",
            "onbegin", "onblur", "onbounce", "oncancel", "oncanplay", "oncanplaythrough", "onchange", "onclick",
            "onclose", "oncontextmenu", "oncopy", "oncuechange", "oncut", "ondblclick", "ondrag", "ondragend",
            "ondragenter", "ondragleave", "ondragover", "ondragstart", "ondrop", "ondurationchange", "onend",
            "onended", "onerror", "onfinish", "onfocus", "onfocusin", "onfocusout", "onformdata",
            "onfullscreenchange", "ongotpointercapture", "onhashchange", "oninput", "oninvalid", "onkeydown",
            "onkeypress", "onkeyup", "onload", "onloadeddata", "onloadedmetadata", "onloadend", "onloadstart",
            "onlostpointercapture", "onmessage", "onmousedown", "onmouseenter", "onmouseleave", "onmousemove",
            "onmouseout", "onmouseover", "onmouseup", "onmousewheel", "onmove", "onoffline", "ononline",
            "onpagehide", "onpageshow", "onpaste", "onpause", "onplay", "onplaying", "onpointercancel",
            "onpointerdown", "onpointerenter", "onpointerleave", "onpointermove", "onpointerout", "onpointerover",
            "onpointerrawupdate", "onpointerup", "onpopstate", "onprogress", "onratechange", "onreadystatechange",
            "onrepeat", "onreset", "onresize", "onscroll", "onscrollend", "onsearch", "onsecuritypolicyviolation",
            "onseeked", "onseeking", "onselect", "onselectionchange", "onselectstart", "onshow", "onslotchange",
            "onstalled", "onstart", "onstorage", "onsubmit", "onsuspend", "ontimeupdate", "ontoggle",
            "ontouchcancel", "ontouchend", "ontouchmove", "ontouchstart", "ontransitioncancel", "ontransitionend",
            "ontransitionrun", "ontransitionstart", "onunload", "onvolumechange", "onwaiting", "onwebkitanimationend",
            "onwebkitanimationiteration", "onwebkitanimationstart", "onwebkittransitionend", "onwheel",
            "onactivate", "onbeforeactivate", "onbeforedeactivate", "ondeactivate", "onmoveend", "onmovestart",
            "onafterscriptexecute", "onbeforescriptexecute", "onpagereveal", "onpageswap", "onbeforematch",
            "oncontentvisibilityautostatechange", "onfilterchange", "onpropertychange", "onerrorupdate",
            "onrowenter", "onrowexit", "onhelp", "onlayoutcomplete", "onlosecapture", "onmouseleave", "onresizeend",
            "onresizestart", "oncontrolselect", "ondataavailable", "ondatasetchanged", "ondatasetcomplete"));
    private static final String[] SINKS = {"alert", "prompt", "confirm", "eval", "print", "fetch", "settimeout",
            "setinterval", "function", "constructor", "import", "document.", "window.", "top[", "top.", "self[",
            "parent[", "this[", "location", "xmlhttprequest", "atob", "navigator.sendbeacon", "globalthis",
            "string.fromcharcode", "document[", "window["};

    private Xss() {
    }

    /** The rule that matched, or {@code null}. {@code v} is normalized and lower-cased. */
    public static String detect(String v, int paranoia) {
        String r = scan(v, paranoia);
        if (r == null && v.indexOf("+adw-") >= 0) {
            // UTF-7 ("+ADw-script+AD4-"), which old browsers could be told to use
            r = scan(v.replace("+adw-", "<").replace("+ad4-", ">").replace("+aci-", "\"").replace("+acc-", "'"), paranoia);
        }
        return r;
    }

    private static String scan(String v, int paranoia) {
        int n = v.length();
        int closeAt = -2;
        for (int i = 0; i < n; i++) {
            char c = v.charAt(i);
            if (c == '<') {
                String r = tag(v, i, paranoia);
                if (r != null) {
                    return r;
                }
            } else if ((c == '"' || c == '\'' || c == '`') && i + 1 < n) {
                String r = breakout(v, i, paranoia);
                if (r != null) {
                    return r;
                }
            } else if (c == ':' && i >= 4) {
                String r = scriptUrl(v, i, paranoia);
                if (r != null) {
                    return r;
                }
            } else if (c == '{' && i + 1 < n && v.charAt(i + 1) == '{') {
                if (closeAt != -1 && closeAt < i + 2) {
                    closeAt = v.indexOf("}}", i + 2); // once absent, never searched again: linear
                }
                int end = closeAt;
                String inner = v.substring(i + 2, Math.min(end < 0 ? n : end, i + 514));
                if (inner.contains("constructor") || inner.contains("$eval") || inner.contains("$on")
                        || inner.contains("__proto__") || paranoia >= 2 && (inner.contains("alert") || inner.contains("("))) {
                    return "xss-template-injection";
                }
            } else if (c == '(' && i >= 10 && v.startsWith("expression", i - 10) && paranoia >= 1) {
                int j = i - 11;
                while (j >= 0 && (v.charAt(j) == ' ' || v.charAt(j) == '\t')) {
                    j--;
                }
                if (j >= 0 && (v.charAt(j) == ':' || v.charAt(j) == '=')) {
                    return "xss-css-expression";
                }
            } else if (c == '$' && i + 1 < n && v.charAt(i + 1) == '{' && sinkAt(v, i + 2)) {
                return "xss-template-literal";
            } else if (c == '&' && i + 1 < n && v.charAt(i + 1) == '{' && v.indexOf('(', i) > 0
                    && v.indexOf('(', i) < i + 40) {
                return "xss-entity-script";
            } else if (c == '-' && v.startsWith("-moz-binding", i)) {
                return "xss-css-binding";
            }
        }
        if (paranoia >= 2) {
            for (String sink : new String[] {"alert(", "prompt(", "confirm(", "document.cookie", "document.write(",
                    "eval(", "javascript:", "vbscript:", "string.fromcharcode(", "document.domain", "innerhtml"}) {
                if (v.contains(sink)) {
                    return "xss-script-fragment";
                }
            }
        }
        return null;
    }

    private static String tag(String v, int lt, int paranoia) {
        int n = v.length();
        int i = lt + 1;
        boolean closing = false;
        if (i < n && v.charAt(i) == '/') {
            closing = true;
            i++;
        }
        int start = i;
        while (i < n && isNameChar(v.charAt(i))) {
            i++;
        }
        if (i == start || !isLetter(v.charAt(start))) {
            if (start < n && v.charAt(start) == '!' && v.startsWith("<!entity", lt) || v.startsWith("<?import", lt)) {
                return "xss-markup-declaration";
            }
            return null;
        }
        String name = v.substring(start, i);
        if (SCRIPT_TAGS.contains(name)) {
            boolean raw = name.equals("script") || name.equals("noscript");
            if (closing) {
                if (raw) {
                    return "xss-script-close"; // "</script>" breaks out of a script block
                }
            } else if (raw || i >= n || v.charAt(i) != '>' && v.charAt(i) != ',' && v.charAt(i) != ')') {
                // "<script" even unclosed; the others load something only with attributes
                // (a generic type such as Local<Object> is no tag)
                return "xss-script-tag";
            }
        }
        if (closing) {
            return null;
        }
        boolean svgOrMath = name.equals("svg") || name.equals("math") || name.equals("animate") || name.equals("set")
                || name.equals("use") || name.equals("handler") || name.equals("listener");
        if ((name.equals("style") || name.equals("link") || name.equals("meta")) && paranoia >= 1) {
            int end = Math.min(n, i + 512);
            String rest = css(v.substring(i, end));
            if (rest.contains("expression(") || rest.contains("javascript:") || rest.contains("vbscript:")
                    || rest.contains("@import") || rest.contains("behavior") || rest.contains("-moz-binding")
                    || name.equals("meta") && (rest.contains("refresh") || rest.contains("set-cookie"))
                    || name.equals("link") && rest.contains("import")
                    || (name.equals("link") || name.equals("meta") && rest.contains("http-equiv=\"link"))
                    && rest.contains("stylesheet") && externalUrl(rest)) {
                return "xss-style-injection"; // script in CSS, or a style sheet from elsewhere
            }
        }
        // attributes
        int end = Math.min(n, i + 1024);
        while (i < end) {
            char c = v.charAt(i);
            if (c == '>' || c == '<') {
                break;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '/' || c == '"' || c == '\'' || c == '`' || c == ',') {
                i++;
                continue;
            }
            int a = i;
            while (i < end && !isAttrEnd(v.charAt(i)) && v.charAt(i) != '<') {
                i++;
            }
            String attr = v.substring(a, i);
            int j = i;
            while (j < end && (v.charAt(j) == ' ' || v.charAt(j) == '\t' || v.charAt(j) == '\n')) {
                j++;
            }
            String value = null;
            if (j < end && v.charAt(j) == '=') {
                j++;
                while (j < end && (v.charAt(j) == ' ' || v.charAt(j) == '\t' || v.charAt(j) == '\n')) {
                    j++;
                }
                if (j < end && (v.charAt(j) == '"' || v.charAt(j) == '\'' || v.charAt(j) == '`')) {
                    char q = v.charAt(j);
                    int stop = j + 1;
                    while (stop < end && v.charAt(stop) != q) {
                        stop++;
                    }
                    value = v.substring(j + 1, stop);
                    j = stop + 1;
                } else {
                    int k = j;
                    while (k < end && !isSpace(v.charAt(k)) && v.charAt(k) != '>') {
                        k++;
                    }
                    value = v.substring(j, k);
                    j = k;
                }
            }
            if (attr.length() > 2 && attr.startsWith("on") && isLetter(attr.charAt(2))
                    && (value != null || EVENTS.contains(attr))) {
                return "xss-event-handler";
            }
            if (value != null) {
                String compact = compact(value);
                if ((URL_ATTRIBUTES.contains(attr) || svgOrMath || attr.endsWith(":href")) && isScriptUrl(compact)) {
                    return "xss-script-url";
                }
                String style = attr.equals("style") ? css(compact) : null;
                if (style != null && (style.contains("expression(") || style.contains("javascript:")
                        || style.contains("behavior:") || style.contains("-moz-binding"))) {
                    return "xss-css-expression";
                }
                if (framework(attr) && hasSink(value)) {
                    return "xss-framework-directive"; // ng-focus=, v-if=, :class=, @click= run expressions
                }
                if (attr.equals("attributename") && (compact.startsWith("on") || compact.endsWith("href"))) {
                    return "xss-svg-animation";
                }
                if (attr.equals("srcdoc") && compact.contains("<")) {
                    return "xss-srcdoc";
                }
            }
            i = Math.max(j, i + 1);
        }
        if (handlerInside(v, start, Math.min(n, i + 1))) {
            return "xss-event-handler";
        }
        if (paranoia >= 2 && (svgOrMath || name.equals("form") || name.equals("img") || name.equals("video")
                || name.equals("audio") || name.equals("input") || name.equals("body") || name.equals("details")
                || name.equals("marquee") || name.equals("style") || name.equals("link") || name.equals("meta"))) {
            return "xss-risky-tag";
        }
        if (paranoia >= 3) {
            return "xss-tag";
        }
        return null;
    }

    /** CSS as a browser reads it: comments dropped, backslashes before letters that are no hex digits dropped. */
    static String css(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf("/*") < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < s.length() && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                if (end < 0) {
                    break;
                }
                i = end + 1;
            } else if (c == '\\' && i + 1 < s.length() && s.charAt(i + 1) >= 'g' && s.charAt(i + 1) <= 'z') {
                continue; // \p is p in CSS
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean externalUrl(String s) {
        return s.contains("http:") || s.contains("https:") || s.contains("=//") || s.contains("\"//") || s.contains("'//")
                || s.contains("<//");
    }

    /** Attributes whose value a front-end framework evaluates: AngularJS, Vue, Alpine, Svelte. */
    private static boolean framework(String attr) {
        return attr.startsWith("ng-") || attr.startsWith("v-") || attr.startsWith("x-on") || attr.startsWith("x-init")
                || attr.length() > 1 && (attr.charAt(0) == ':' || attr.charAt(0) == '@')
                || attr.startsWith("on:");
    }

    private static boolean hasSink(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (sinkAt(value, i)) {
                return true;
            }
        }
        return false;
    }

    /** An {@code on...=} handler anywhere in a tag's text, after a space, slash or quote. */
    private static boolean handlerInside(String v, int from, int to) {
        for (int i = v.indexOf("on", from); i >= 0 && i + 3 < to; i = v.indexOf("on", i + 2)) {
            char before = v.charAt(i - 1);
            if (before != ' ' && before != '/' && before != '"' && before != '\'' && before != '\t' && before != '\n') {
                continue;
            }
            int k = i + 2;
            while (k < to && isLetter(v.charAt(k))) {
                k++;
            }
            if (k - i < 5) {
                continue;
            }
            while (k < to && isSpace(v.charAt(k))) {
                k++;
            }
            if (k < to && v.charAt(k) == '=') {
                return true;
            }
        }
        return false;
    }

    /** A quote followed by an event handler ({@code " onfocus=}) or by JavaScript calling a sink. */
    private static String breakout(String v, int q, int paranoia) {
        int n = v.length();
        int i = q + 1;
        for (int attrs = 0; attrs < 4 && i < n; attrs++) {
            while (i < n && (isSpace(v.charAt(i)) || v.charAt(i) == '/')) {
                i++;
            }
            int a = i;
            while (i < n && (isLetter(v.charAt(i)) || v.charAt(i) == '-')) {
                i++;
            }
            if (i == a || attrs > 0 && a == q + 1) {
                break;
            }
            int k = i;
            while (k < n && isSpace(v.charAt(k))) {
                k++;
            }
            boolean eq = k < n && v.charAt(k) == '=';
            if (i - a > 2 && v.startsWith("on", a) && eq && (EVENTS.contains(v.substring(a, i)) || paranoia >= 2)) {
                return "xss-attribute-breakout";
            }
            if (eq) {
                // skip this attribute's value
                k++;
                while (k < n && !isSpace(v.charAt(k)) && v.charAt(k) != '>') {
                    k++;
                }
            }
            if (i == a || !eq && k == i && !(k < n && (isSpace(v.charAt(k)) || v.charAt(k) == '/'))) {
                break;
            }
            i = k;
        }
        // JavaScript string break-out: quote, operators, then a sink
        i = q + 1;
        int ops = 0;
        while (i < n && ops < 8) {
            char c = v.charAt(i);
            if (";+-*/,|&)}%^=<>?:".indexOf(c) >= 0) {
                ops++;
                i++;
            } else if (isSpace(c)) {
                i++;
            } else {
                break;
            }
        }
        if (ops == 0 && paranoia < 2 || i >= n) {
            return null;
        }
        if (v.charAt(q + 1) == '/' && ops == 1) {
            return null; // a quote then a slash: paths and dates, not script
        }
        for (String sink : SINKS) {
            if (v.startsWith(sink, i)) {
                int k = i + sink.length();
                if (sink.endsWith(".") || sink.endsWith("[")) {
                    return "xss-js-breakout";
                }
                while (k < n && isSpace(v.charAt(k))) {
                    k++;
                }
                if (k < n && (v.charAt(k) == '(' || (v.charAt(k) == '`' || v.charAt(k) == '=') && !sink.equals("import"))) {
                    return "xss-js-breakout";
                }
            }
        }
        return null;
    }

    /** A sink call ({@code alert(}, {@code eval`}, {@code document.}) at {@code i}, after optional spaces. */
    private static boolean sinkAt(String v, int i) {
        int n = v.length();
        while (i < n && isSpace(v.charAt(i))) {
            i++;
        }
        for (String sink : SINKS) {
            if (v.startsWith(sink, i)) {
                if (sink.endsWith(".") || sink.endsWith("[")) {
                    return true;
                }
                int k = i + sink.length();
                while (k < n && isSpace(v.charAt(k))) {
                    k++;
                }
                if (k < n && (v.charAt(k) == '(' || v.charAt(k) == '`')) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String scriptUrl(String v, int colon, int paranoia) {
        // look back over the scheme, ignoring whitespace the browser drops (java\tscript:)
        int i = colon - 1;
        StringBuilder scheme = new StringBuilder(12);
        while (i >= 0 && scheme.length() < 12) {
            char c = v.charAt(i);
            if (isLetter(c)) {
                scheme.append(c);
            } else if (c != '\t' && c != '\n' && c != ' ' || scheme.length() == 0) {
                break;
            }
            i--;
        }
        String s = scheme.reverse().toString();
        if (!s.endsWith("javascript") && !s.endsWith("vbscript") && !s.endsWith("livescript") && !s.equals("data")
                && !s.endsWith("jscript")) {
            return null;
        }
        int schemeStart = i + 1;
        int before = schemeStart - 1;
        while (before >= 0 && isSpace(v.charAt(before))) {
            before--;
        }
        boolean atStart = before < 0 || "\"'`=(>".indexOf(v.charAt(before)) >= 0;
        String after = v.substring(colon + 1, Math.min(v.length(), colon + 200));
        if (s.equals("data")) {
            String c = compact(after);
            return atStart && (c.startsWith("text/html") || c.startsWith("image/svg") || c.startsWith("application/x")
                    || c.startsWith("application/javascript") || c.startsWith("text/javascript")
                    || c.startsWith("text/xml")) ? "xss-data-url" : null;
        }
        boolean code = after.indexOf('(') >= 0 || after.indexOf('`') >= 0 || after.indexOf('=') >= 0
                || after.startsWith("//") || after.indexOf(';') >= 0 || after.startsWith("%") || after.contains("void")
                || after.contains("location") || after.contains("document") || after.contains("eval");
        if (code && (atStart || paranoia >= 2)) {
            return "xss-script-url";
        }
        return null;
    }

    private static boolean isScriptUrl(String compact) {
        return compact.startsWith("javascript:") || compact.startsWith("vbscript:") || compact.startsWith("livescript:")
                || compact.startsWith("data:text/html") || compact.startsWith("data:image/svg")
                || compact.startsWith("data:application/") || compact.startsWith("data:text/javascript")
                || compact.startsWith("jscript:") || compact.startsWith("mocha:");
    }

    /** Drops the whitespace and control characters browsers ignore inside a URL scheme. */
    static String compact(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ') {
                if (b == null) {
                    b = new StringBuilder(s.length());
                    b.append(s, 0, i);
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean isNameChar(char c) {
        return isLetter(c) || c >= '0' && c <= '9' || c == '-' || c == ':' || c == '_';
    }

    private static boolean isAttrEnd(char c) {
        return c == '=' || c == '>' || c == '/' || isSpace(c) || c == '"' || c == '\'';
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
