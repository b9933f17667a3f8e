package io.aegis.gateway.masking;

import java.util.Objects;
import org.owasp.encoder.Encode;

/**
 * Contextual output encoding for anything the library reflects into HTML (problem pages, the
 * developer portal): a thin layer over the OWASP Java Encoder, so each call names the context the
 * text lands in. Use the encoder of the exact context: HTML text, a quoted attribute value, a
 * JavaScript string, a URI component, a CSS string. {@code null} encodes as {@code "null"}, as
 * the OWASP encoder does; nothing here throws for any input.
 *
 * <pre>{@code
 * "<p>Hello " + OutputEncoding.html(name) + "</p>"
 * "<a href=\"/users/" + OutputEncoding.uriComponent(id) + "\" title=\"" + OutputEncoding.htmlAttribute(title) + "\">"
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class OutputEncoding {

    private OutputEncoding() {
    }

    /** For text between HTML tags and inside double- or single-quoted attribute values. */
    public static String html(String text) {
        return Encode.forHtml(text);
    }

    /** For HTML text content only (not attributes); leaves quotes alone. */
    public static String htmlContent(String text) {
        return Encode.forHtmlContent(text);
    }

    /** For a quoted HTML attribute value. Never for unquoted attributes or event handlers. */
    public static String htmlAttribute(String text) {
        return Encode.forHtmlAttribute(text);
    }

    /** For a JavaScript string literal, in a script block or an event handler attribute. */
    public static String javaScript(String text) {
        return Encode.forJavaScript(text);
    }

    /** For one component of a URI (path segment or query value); not for a whole URL. */
    public static String uriComponent(String text) {
        return Encode.forUriComponent(text);
    }

    /** For a quoted CSS string value. */
    public static String cssString(String text) {
        return Encode.forCssString(text);
    }

    /**
     * Fills {@code {}} placeholders of an HTML template with HTML-encoded values: the template is
     * trusted, the values are not. Extra placeholders stay; extra values are ignored.
     */
    public static String htmlTemplate(String template, Object... values) {
        Objects.requireNonNull(template, "template");
        StringBuilder out = new StringBuilder(template.length() + 32);
        int v = 0;
        int i = 0;
        while (i < template.length()) {
            int p = template.indexOf("{}", i);
            if (p < 0 || v >= values.length) {
                out.append(template, i, template.length());
                break;
            }
            out.append(template, i, p).append(html(String.valueOf(values[v++])));
            i = p + 2;
        }
        return out.toString();
    }
}
