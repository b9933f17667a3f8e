package io.aegis.gateway.threat.internal;

import java.time.Duration;

/** Ban lengths with escalation. */
public final class BanMath {

    private BanMath() {
    }

    /** {@code base * escalation^(offenses-1)}, at most {@code max}. */
    public static Duration length(Duration base, double escalation, Duration max, int offenses) {
        double ms = base.toMillis() * Math.pow(escalation, Math.max(0, offenses - 1));
        return ms >= max.toMillis() || Double.isNaN(ms) ? max : Duration.ofMillis((long) ms);
    }
}
