package io.aegis.gateway.masking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Output encoding: hostile values cannot break out of their HTML context. */
class OutputEncodingTest {

    @ParameterizedTest
    @ValueSource(strings = {"<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "'onmouseover='alert(1)",
        "</p><svg/onload=alert(1)>", "&lt;already&gt;", "\u0000<\u2028>", "김민준 <b>bold</b>"})
    void htmlContexts(String hostile) {
        String html = OutputEncoding.html(hostile);
        assertThat(html).doesNotContain("<").doesNotContain(">").doesNotContain("\"").doesNotContain("'");
        assertThat(OutputEncoding.htmlAttribute(hostile)).doesNotContain("<").doesNotContain("\"").doesNotContain("'");
        assertThat(OutputEncoding.htmlContent(hostile)).doesNotContain("<").doesNotContain(">");
        String js = OutputEncoding.javaScript(hostile);
        assertThat(js).doesNotContain("</").doesNotContain("\"").doesNotContain("'").doesNotContain("\u2028");
        assertThat(OutputEncoding.uriComponent(hostile)).matches("[A-Za-z0-9%._~-]*");
        assertThat(OutputEncoding.cssString(hostile)).doesNotContain("<").doesNotContain("\"");
    }

    @Test
    void examples() {
        assertThat(OutputEncoding.html("O'Brien & <Sons>")).isEqualTo("O&#39;Brien &amp; &lt;Sons&gt;");
        assertThat(OutputEncoding.uriComponent("a b/김")).isEqualTo("a%20b%2F%EA%B9%80");
        assertThat(OutputEncoding.javaScript("</script>")).isEqualTo("<\\/script>");
        assertThat(OutputEncoding.htmlTemplate("<p>{} wrote {}</p>{}", "<b>", "x&y"))
                .isEqualTo("<p>&lt;b&gt; wrote x&amp;y</p>{}");
        assertThat(OutputEncoding.html(null)).isEqualTo("null");
    }
}
