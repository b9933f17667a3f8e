package io.aegis.gateway.mesh;

import java.util.Objects;

/**
 * Input the generator refuses: a descriptor, overlay or policy that is malformed or inconsistent.
 * The message is one line naming the field (as a path into the descriptor, e.g.
 * {@code versions[v2].weight}), the value and what was expected.
 */
@UnstableApi
public class MeshConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the offending field, as a path into the descriptor
     * @param detail the value and the rule it breaks, e.g. {@code "105 (expected: the weights sum to 100)"}
     */
    public MeshConfigException(String field, String detail) {
        super(Objects.requireNonNull(field, "field") + ": " + detail);
        this.field = field;
    }

    public MeshConfigException(String field, String detail, Throwable cause) {
        this(field, detail);
        initCause(cause);
    }

    /** The offending field, as a path into the descriptor. */
    public String field() {
        return field;
    }
}
