package io.aegis.gateway.masking;

import java.text.MessageFormat;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Masks personal data and secrets in log output, for any logging setup: a plain
 * {@code String -> String} function ({@link #sanitize(String)}), a masking of structured
 * attributes ({@link #sanitize(Map)}, used by the audit log), a {@code java.util.logging}
 * {@link Formatter} wrapper and a {@link System.Logger} decorator. For SLF4J with Logback or Log4j
 * 2, call {@link #sanitize(String)} from a message converter or rewrite policy (see
 * {@code docs/security.md}); the core has no dependency on a logging backend.
 *
 * <p>By default every {@link Detector} except {@link Detector#HIGH_ENTROPY} is applied, and
 * attributes whose name says they hold a secret ({@code password}, {@code token},
 * {@code authorization}, {@code cookie}, {@code api-key}, {@code secret}, {@code credential},
 * {@code session}) are replaced whole by {@code [secret]}.
 *
 * <p>Immutable and thread-safe.
 */
public final class LogSanitizer implements UnaryOperator<String> {

    /** What replaces the value of an attribute whose name marks it as a secret. */
    public static final String REDACTED = "[secret]";

    private static final String[] SECRET_NAMES = {"password", "passwd", "secret", "token", "authorization", "cookie",
        "api_key", "apikey", "api-key", "private_key", "private-key", "credential", "session"};
    private static final int MAX_DEPTH = 16;
    private static final LogSanitizer DEFAULT = new LogSanitizer(PiiScanner.defaults());

    private final PiiScanner scanner;

    private LogSanitizer(PiiScanner scanner) {
        this.scanner = scanner;
    }

    /** The sanitizer with {@link Detector#defaults()}. */
    public static LogSanitizer defaults() {
        return DEFAULT;
    }

    /** A sanitizer with these detectors. */
    public static LogSanitizer of(Set<Detector> detectors) {
        return new LogSanitizer(PiiScanner.of(detectors));
    }

    /** The message with personal data and secrets masked by the default sanitizer; {@code null} stays {@code null}. */
    public static String sanitize(String message) {
        return DEFAULT.apply(message);
    }

    /** The attributes masked by the default sanitizer (see {@link #applyTo(Map)}). */
    public static Map<String, Object> sanitize(Map<String, ?> attributes) {
        return DEFAULT.applyTo(attributes);
    }

    public Set<Detector> detectors() {
        return scanner.detectors();
    }

    /** The text with every finding masked; the same instance when nothing is found. */
    @Override
    public String apply(String text) {
        return scanner.mask(text);
    }

    /**
     * A masked copy of structured attributes, in the same order: values of attributes whose name
     * marks a secret become {@link #REDACTED}; strings are scanned; maps, collections and arrays
     * are masked recursively (16 levels deep at most); numbers, booleans, characters, enums,
     * UUIDs and dates stay as they are; any other object is replaced by its masked
     * {@code toString()}. Never throws for any content; {@code null} gives an empty map.
     *
     * @return an unmodifiable map
     */
    public Map<String, Object> applyTo(Map<String, ?> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(map(attributes, 0));
    }

    /** {@code true} when an attribute or field of this name holds a secret and is redacted whole. */
    public static boolean isSecretName(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (String s : SECRET_NAMES) {
            if (n.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private Map<String, Object> map(Map<?, ?> m, int depth) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String key = apply(String.valueOf(e.getKey()));
            Object v = e.getValue();
            out.put(key, v != null && isSecretName(key) ? REDACTED : value(v, depth + 1));
        }
        return out;
    }

    private Object value(Object v, int depth) {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof Character || v instanceof Enum<?>
                || v instanceof UUID || v instanceof TemporalAccessor) {
            return v;
        }
        if (v instanceof CharSequence cs) {
            return apply(cs.toString());
        }
        if (depth > MAX_DEPTH) {
            return "[...]";
        }
        if (v instanceof Map<?, ?> m) {
            return Collections.unmodifiableMap(map(m, depth));
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(value(o, depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Object[] a) {
            return value(Arrays.asList(a), depth);
        }
        String text;
        try {
            text = String.valueOf(v);
        } catch (RuntimeException e) {
            text = v.getClass().getName();
        }
        return apply(text);
    }

    /**
     * A {@code java.util.logging} formatter that masks what {@code delegate} produces, stack
     * traces included. Install it on a handler: {@code handler.setFormatter(sanitizer.formatter(new SimpleFormatter()))}.
     */
    public Formatter formatter(Formatter delegate) {
        Objects.requireNonNull(delegate, "delegate");
        return new Formatter() {
            @Override
            public String format(LogRecord record) {
                return apply(delegate.format(record));
            }

            @Override
            public String getHead(Handler h) {
                return delegate.getHead(h);
            }

            @Override
            public String getTail(Handler h) {
                return delegate.getTail(h);
            }
        };
    }

    /**
     * A {@link System.Logger} that formats each message with its parameters
     * ({@link MessageFormat}), masks it and hands it to {@code delegate}. Messages of thrown
     * exceptions are not masked here: use {@link #formatter(Formatter)} or a backend converter for
     * complete coverage.
     */
    public System.Logger logger(System.Logger delegate) {
        Objects.requireNonNull(delegate, "delegate");
        return new System.Logger() {
            @Override
            public String getName() {
                return delegate.getName();
            }

            @Override
            public boolean isLoggable(Level level) {
                return delegate.isLoggable(level);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                if (delegate.isLoggable(level)) {
                    delegate.log(level, bundle, apply(msg), thrown);
                }
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                if (!delegate.isLoggable(level)) {
                    return;
                }
                String msg = format;
                if (params != null && params.length > 0 && format != null) {
                    try {
                        msg = MessageFormat.format(format, params);
                    } catch (IllegalArgumentException e) {
                        msg = format + " " + Arrays.toString(params);
                    }
                }
                delegate.log(level, bundle, apply(msg), (Throwable) null);
            }

            @Override
            public void log(Level level, Supplier<String> msgSupplier) {
                if (delegate.isLoggable(level)) {
                    delegate.log(level, (ResourceBundle) null, apply(msgSupplier.get()), (Throwable) null);
                }
            }
        };
    }

    @Override
    public String toString() {
        return "LogSanitizer" + scanner.detectors();
    }
}
