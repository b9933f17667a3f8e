package io.aegis.gateway.mesh.internal;

import java.time.Duration;

/** Duration texts as the projections write them. */
public final class Durations {

    private Durations() {
    }

    /** A Go-style duration ({@code 10s}, {@code 250ms}, {@code 5m}, {@code 2h}) as Istio wants it. */
    public static String go(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }
}
