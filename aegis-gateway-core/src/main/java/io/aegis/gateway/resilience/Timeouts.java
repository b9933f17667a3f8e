package io.aegis.gateway.resilience;

import java.time.Duration;
import java.util.Objects;

/**
 * The time limits of an outbound call.
 *
 * <p>Defaults: connect {@code 1s}, per try {@code 2s}, total {@code 5s}. The total is the deadline
 * of the whole call, retries and their delays included; it shrinks to the caller's propagated
 * deadline when that is sooner. Each try is further bounded by what is left of the total.
 *
 * <p>Immutable and thread-safe.
 *
 * @param connect the TCP (and TLS) connect timeout of each try
 * @param perTry the limit of one try, from sending to the end of the response body
 * @param total the limit of the whole call
 */
public record Timeouts(Duration connect, Duration perTry, Duration total) {

    /**
     * @throws IllegalArgumentException when a duration is not positive or a limit exceeds the total
     */
    public Timeouts {
        positive("connect", connect);
        positive("per-try", perTry);
        positive("total", total);
        if (perTry.compareTo(total) > 0) {
            throw new IllegalArgumentException("per-try: " + perTry + " (expected: at most the total " + total + ")");
        }
    }

    public static Timeouts defaults() {
        return new Timeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: > 0)");
        }
    }
}
