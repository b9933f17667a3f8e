package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared pieces of error classification: status defaults, retry hints in their several spellings. */
public final class Errors {

    private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");
    private static final Duration MAX_HINT = Duration.ofDays(31);

    private Errors() {
    }

    /** The kind a status means when the body says nothing more specific. */
    public static LlmErrorKind byStatus(int status) {
        return switch (status) {
            case 401, 403 -> LlmErrorKind.AUTHENTICATION;
            case 402 -> LlmErrorKind.QUOTA_EXHAUSTED;
            case 404 -> LlmErrorKind.MODEL_NOT_FOUND;
            case 408, 504 -> LlmErrorKind.TIMEOUT;
            case 429 -> LlmErrorKind.RATE_LIMITED;
            case 503, 529 -> LlmErrorKind.OVERLOADED;
            default -> status >= 500 ? LlmErrorKind.SERVER_ERROR : LlmErrorKind.BAD_REQUEST;
        };
    }

    /**
     * {@code retry-after-ms} (OpenAI) or {@code retry-after} in seconds or as an HTTP date; {@code null}
     * when absent or unreadable. Hints are capped at 31 days.
     */
    public static Duration retryAfter(HttpHeaders headers, Clock clock) {
        Optional<String> ms = headers.firstValue("retry-after-ms");
        if (ms.isPresent()) {
            try {
                return cap(Duration.ofMillis((long) Double.parseDouble(ms.get().trim())));
            } catch (NumberFormatException e) {
                // fall through to retry-after
            }
        }
        Optional<String> ra = headers.firstValue("retry-after");
        if (ra.isEmpty()) {
            return null;
        }
        String v = ra.get().trim();
        try {
            double seconds = Double.parseDouble(v);
            return seconds < 0 ? null : cap(Duration.ofMillis((long) (seconds * 1000)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : cap(d);
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** Go-style durations as in OpenAI's {@code x-ratelimit-reset-*}: {@code 12ms}, {@code 1.8s}, {@code 6m0s}, {@code 1h2m3s}. */
    public static Duration goDuration(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = GO_DURATION.matcher(t);
        double ms = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                return null;
            }
            double n = Double.parseDouble(m.group(1));
            ms += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = m.end();
        }
        return end == t.length() && end > 0 ? cap(Duration.ofMillis((long) Math.ceil(ms))) : null;
    }

    /** A protobuf JSON duration as in Gemini's {@code RetryInfo.retryDelay}: {@code 41s}, {@code 0.5s}. */
    public static Duration protoDuration(String text) {
        if (text == null || !text.endsWith("s")) {
            return null;
        }
        try {
            double s = Double.parseDouble(text.substring(0, text.length() - 1));
            return s < 0 ? null : cap(Duration.ofMillis((long) Math.ceil(s * 1000)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An RFC 3339 instant ({@code anthropic-ratelimit-*-reset}); {@code null} when unreadable. */
    public static Instant rfc3339(String text) {
        if (text == null) {
            return null;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text.trim(), Instant::from);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Duration cap(Duration d) {
        return d.compareTo(MAX_HINT) > 0 ? MAX_HINT : d;
    }

    /** Classifies a transport failure (no HTTP status). */
    public static LlmException transport(Throwable t, String provider, String model) {
        Throwable c = unwrap(t);
        if (c instanceof LlmException e) {
            return e;
        }
        if (c instanceof HttpConnectTimeoutException) {
            return new LlmException(LlmErrorKind.TIMEOUT, provider + "/" + model + ": connect timed out",
                    provider, model, 0, null, null, null, c);
        }
        if (c instanceof HttpTimeoutException || c instanceof TimeoutException) {
            return new LlmException(LlmErrorKind.TIMEOUT, provider + "/" + model + ": no answer in time",
                    provider, model, 0, null, null, null, c);
        }
        if (c instanceof CancellationException) {
            return new LlmException(LlmErrorKind.CANCELLED, provider + "/" + model + ": cancelled",
                    provider, model, 0, null, null, null, c);
        }
        if (c instanceof ConnectException) {
            return new LlmException(LlmErrorKind.SERVER_ERROR, provider + "/" + model + ": cannot connect ("
                    + c.getMessage() + ")", provider, model, 0, null, null, null, c);
        }
        return new LlmException(LlmErrorKind.SERVER_ERROR, provider + "/" + model + ": transport failure ("
                + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()) + ")",
                provider, model, 0, null, null, null, c);
    }

    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** Shortens a provider message for an exception text. */
    public static String brief(String message) {
        if (message == null) {
            return "";
        }
        String m = message.replaceAll("\\s+", " ").trim();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }
}
