package io.aegis.gateway.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem response: status, {@code application/problem+json} body and the extra
 * headers that belong to it ({@code WWW-Authenticate}, {@code Retry-After}, ...).
 *
 * <p>The body never contains a stack trace or an internal detail: {@code detail} and the
 * extension members are written by policies for clients. Instances are immutable and
 * thread-safe; build them with {@link #of(ProblemType)} or {@link #builder(ProblemType)}.
 */
public final class Problem {

    /** The media type of the body. */
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final JsonFactory JSON = new JsonFactory();

    private final ProblemType type;
    private final int status;
    private final String detail;
    private final String instance;
    private final Map<String, Object> extensions;
    private final Map<String, List<String>> headers;

    private Problem(Builder b) {
        this.type = b.type;
        this.status = b.status;
        this.detail = b.detail;
        this.instance = b.instance;
        this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(b.extensions));
        Map<String, List<String>> h = new LinkedHashMap<>();
        b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
    }

    /** A problem of the given type with its default status and no detail. */
    public static Problem of(ProblemType type) {
        return builder(type).build();
    }

    /** A problem of the given type with a detail for the client. */
    public static Problem of(ProblemType type, String detail) {
        return builder(type).detail(detail).build();
    }

    /** Starts a problem of the given type; the status defaults to the type's status. */
    public static Builder builder(ProblemType type) {
        return new Builder(type);
    }

    /** A builder pre-filled with this problem, for adding a header or member. */
    public Builder toBuilder() {
        Builder b = new Builder(type).status(status).detail(detail).instance(instance);
        b.extensions.putAll(extensions);
        headers.forEach((k, v) -> b.headers.put(k, new ArrayList<>(v)));
        return b;
    }

    public ProblemType type() {
        return type;
    }

    public int status() {
        return status;
    }

    /** The human-readable explanation specific to this occurrence, or {@code null}. */
    public String detail() {
        return detail;
    }

    /** A URI reference identifying this occurrence, or {@code null}. */
    public String instance() {
        return instance;
    }

    /** Extension members of the body, in insertion order. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** Response headers that belong to this problem, in insertion order. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** Writes the {@code application/problem+json} body as UTF-8. */
    public void writeJson(OutputStream out) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            write(g);
        }
    }

    /** The {@code application/problem+json} body. */
    public String toJson() {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", type.uri().toString());
        g.writeStringField("title", type.title());
        g.writeNumberField("status", status);
        if (detail != null) {
            g.writeStringField("detail", detail);
        }
        if (instance != null) {
            g.writeStringField("instance", instance);
        }
        for (Map.Entry<String, Object> e : extensions.entrySet()) {
            g.writeFieldName(e.getKey());
            writeValue(g, e.getValue());
        }
        g.writeEndObject();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof Boolean bool) {
            g.writeBoolean(bool);
        } else if (v instanceof Integer || v instanceof Long) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (v instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object o : c) {
                writeValue(g, o);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeString(v.toString());
        }
    }

    @Override
    public String toString() {
        return "Problem[" + type.slug() + ", " + status + (detail == null ? "" : ", " + detail) + "]";
    }

    /** Builds a {@link Problem}. Not thread-safe. */
    public static final class Builder {
        private final ProblemType type;
        private int status;
        private String detail;
        private String instance;
        private final Map<String, Object> extensions = new LinkedHashMap<>();
        private final Map<String, List<String>> headers = new LinkedHashMap<>();

        private Builder(ProblemType type) {
            this.type = Objects.requireNonNull(type, "type");
            this.status = type.status();
        }

        /** Overrides the status of the type (rarely needed). */
        public Builder status(int status) {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
            }
            this.status = status;
            return this;
        }

        public Builder detail(String detail) {
            this.detail = detail;
            return this;
        }

        public Builder instance(String instance) {
            this.instance = instance;
            return this;
        }

        /**
         * Adds an extension member. Values may be strings, numbers, booleans, collections and
         * maps of those.
         *
         * @throws IllegalArgumentException for a member name RFC 9457 reserves
         */
        public Builder with(String name, Object value) {
            Objects.requireNonNull(name, "name");
            switch (name) {
                case "type", "title", "status", "detail", "instance" ->
                        throw new IllegalArgumentException("name: " + name + " (expected: an extension member, not a standard one)");
                default -> extensions.put(name, value);
            }
            return this;
        }

        /** Adds a response header value that belongs to this problem. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(Objects.requireNonNull(name, "name"), k -> new ArrayList<>(1))
                    .add(Objects.requireNonNull(value, "value"));
            return this;
        }

        public Problem build() {
            return new Problem(this);
        }
    }
}
