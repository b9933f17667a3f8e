package io.aegis.gateway.pipeline;

import java.util.Objects;

/**
 * A typed key for a per-exchange attribute, used by policies to hand results to later policies
 * and to adapters (the resolved API version, an incident id, ...). Keys compare by identity:
 * keep them in constants.
 *
 * @param <T> the attribute's type
 */
public final class AttributeKey<T> {

    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(Objects.requireNonNull(name, "name"), Objects.requireNonNull(type, "type"));
    }

    public String name() {
        return name;
    }

    T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + "]";
    }
}
