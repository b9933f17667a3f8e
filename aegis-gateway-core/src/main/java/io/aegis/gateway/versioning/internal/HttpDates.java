package io.aegis.gateway.versioning.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The date syntaxes of the lifecycle headers. */
public final class HttpDates {

    // RFC 9110 §5.6.7 IMF-fixdate: always two-digit day, GMT. (RFC_1123_DATE_TIME drops the leading zero.)
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private HttpDates() {
    }

    /** An HTTP-date in the preferred IMF-fixdate form, as RFC 8594 {@code Sunset} takes it. */
    public static String imfFixdate(Instant t) {
        return IMF_FIXDATE.format(t);
    }

    /** A structured-field Date (RFC 9651 §3.3.7), as RFC 9745 {@code Deprecation} takes it: {@code @<seconds>}. */
    public static String sfDate(Instant t) {
        return "@" + t.getEpochSecond();
    }
}
