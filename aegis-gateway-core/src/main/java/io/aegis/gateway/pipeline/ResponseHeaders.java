package io.aegis.gateway.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Headers that policies ask adapters to put on the response, whether the application answers
 * or a policy rejects: rate-limit state, deprecation notices, version fallbacks.
 *
 * <p>Not thread-safe; belongs to one exchange.
 */
public final class ResponseHeaders {

    private final List<String> names = new ArrayList<>(4);
    private final List<String> values = new ArrayList<>(4);

    /** Replaces every value of the header with this one. */
    public ResponseHeaders set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    /** Adds a value, keeping the ones already there. */
    public ResponseHeaders add(String name, String value) {
        names.add(Objects.requireNonNull(name, "name"));
        values.add(Objects.requireNonNull(value, "value"));
        return this;
    }

    /** Removes every value of the header. */
    public ResponseHeaders remove(String name) {
        for (int i = names.size() - 1; i >= 0; i--) {
            if (names.get(i).equalsIgnoreCase(name)) {
                names.remove(i);
                values.remove(i);
            }
        }
        return this;
    }

    /** The first value of the header, or {@code null}. */
    public String get(String name) {
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                return values.get(i);
            }
        }
        return null;
    }

    /** Every value of the header, in order. */
    public List<String> getAll(String name) {
        List<String> out = new ArrayList<>(1);
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).equalsIgnoreCase(name)) {
                out.add(values.get(i));
            }
        }
        return out;
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    public int size() {
        return names.size();
    }

    /** Calls the consumer with each (name, value) pair in insertion order. */
    public void forEach(BiConsumer<String, String> consumer) {
        for (int i = 0; i < names.size(); i++) {
            consumer.accept(names.get(i), values.get(i));
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("ResponseHeaders[");
        forEach((n, v) -> sb.append(n).append(": ").append(v).append("; "));
        return sb.append(']').toString();
    }
}
