package io.aegis.gateway.versioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of the lifecycle headers against the grammars of their RFCs (shared with the adapter tests). */
public final class LifecycleHeaders {

    /** RFC 9745 §2.1: Deprecation = sf-date; RFC 9651 §3.3.7: sf-date = "@" sf-integer (at most 15 digits). */
    static final Pattern SF_DATE = Pattern.compile("@(-?[0-9]{1,15})");

    /** RFC 9110 §5.6.7 IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT; date1 = 2DIGIT SP month SP 4DIGIT. */
    static final Pattern IMF_FIXDATE = Pattern.compile(
            "(Mon|Tue|Wed|Thu|Fri|Sat|Sun), ([0-9]{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ([0-9]{4}) "
                    + "([0-9]{2}):([0-9]{2}):([0-9]{2}) GMT");

    /**
     * RFC 8288 §3: link-value = "<" URI-Reference ">" *( OWS ";" OWS link-param ); link-param =
     * token BWS [ "=" BWS ( token / quoted-string ) ].
     */
    static final Pattern LINK_VALUE = Pattern.compile(
            "<([^<>\\s\"]*)>((?:[ \\t]*;[ \\t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \\t]*=[ \\t]*"
                    + "(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|\"(?:[^\"\\\\]|\\\\.)*\"))?)*)");
    static final Pattern LINK_PARAM = Pattern.compile(
            ";[ \\t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+)(?:[ \\t]*=[ \\t]*([!#$%&'*+.^_`|~0-9A-Za-z-]+|\"(?:[^\"\\\\]|\\\\.)*\"))?");

    private LifecycleHeaders() {
    }

    /** Asserts the RFC 9745 syntax and answers the instant. */
    public static Instant deprecation(String value) {
        Matcher m = SF_DATE.matcher(value);
        assertThat(m.matches()).as("Deprecation '%s' is an sf-date", value).isTrue();
        return Instant.ofEpochSecond(Long.parseLong(m.group(1)));
    }

    /** Asserts the IMF-fixdate syntax (with a consistent day name) and answers the instant. */
    public static Instant sunset(String value) {
        assertThat(IMF_FIXDATE.matcher(value).matches()).as("Sunset '%s' is an IMF-fixdate", value).isTrue();
        ZonedDateTime t = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(t.getDayOfWeek().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.US))
                .isEqualTo(value.substring(0, 3));
        return t.toInstant();
    }

    /** Asserts RFC 8288 link-value syntax and answers the target by {@code rel}. */
    public static Map<String, String> links(Iterable<String> values) {
        Map<String, String> byRel = new LinkedHashMap<>();
        for (String value : values) {
            Matcher m = LINK_VALUE.matcher(value);
            assertThat(m.matches()).as("Link '%s' is an RFC 8288 link-value", value).isTrue();
            URI.create(m.group(1)); // a URI-reference
            Matcher p = LINK_PARAM.matcher(m.group(2));
            String rel = null;
            while (p.find()) {
                if (p.group(1).equalsIgnoreCase("rel")) {
                    rel = p.group(2).replace("\"", "");
                }
            }
            assertThat(rel).as("Link '%s' has a rel", value).isNotNull();
            byRel.put(rel, m.group(1));
        }
        return byRel;
    }
}
