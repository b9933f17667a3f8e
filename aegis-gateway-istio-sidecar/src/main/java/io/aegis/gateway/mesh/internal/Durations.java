package io.aegis.gateway.mesh.internal;

import io.aegis.gateway.ratelimit.Limit;
import java.time.Duration;

/** Duration texts as the projections write them. */
public final class Durations {

    private Durations() {
    }

    /** A Go-style duration ({@code 10s}, {@code 250ms}, {@code 5m}, {@code 48h}) as Istio wants it. */
    public static String go(Duration d) {
        long ms = d.toMillis();
        // The library's short form, except that Go has no day unit: whole days are written in hours.
        return ms > 0 && ms % 86_400_000L == 0 ? ms / 3_600_000L + "h" : Limit.formatDuration(d);
    }
}
