package io.aegis.gateway.resilience;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * The contract of a response that composes several upstreams and answers with what it has when
 * some are down: status {@code 200}, the body member {@value #FIELD} listing the missing parts
 * (e.g. {@code "degraded": ["policies"]}) and the header {@value #HEADER} with the same names,
 * comma-separated. A complete response has neither. See {@code docs/resilience.md}.
 *
 * <p>Why 200 and not 206: 206 Partial Content answers a {@code Range} request (RFC 9110 §15.3.7)
 * and caches and clients treat it so; a degraded composition is a complete representation of what
 * the service knows now.
 */
public final class Degradation {

    /** The response header naming the missing parts. */
    public static final String HEADER = "Aegis-Degraded";
    /** The body member listing the missing parts. */
    public static final String FIELD = "degraded";

    private Degradation() {
    }

    /** The header value for these parts: sorted, comma-separated; empty for none. */
    public static String headerValue(Collection<String> parts) {
        Set<String> sorted = new TreeSet<>(parts);
        return String.join(", ", sorted);
    }
}
