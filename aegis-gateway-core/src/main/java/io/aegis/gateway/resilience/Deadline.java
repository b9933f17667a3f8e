package io.aegis.gateway.resilience;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A point in time by which a call must be answered, on a monotonic nano-time source.
 *
 * <p>Deadlines travel between services as the {@value #HEADER} request header: the milliseconds
 * the caller still waits, relative (as gRPC's {@code grpc-timeout}), so the clocks of the two hosts
 * never need to agree. The {@link ServiceClient} sends it on every try; the inbound
 * {@link DeadlinePolicy} turns it back into a deadline, refuses a request that arrives with
 * nothing left, and hands it to the application through {@link CallContext}.
 *
 * <p>Immutable and thread-safe.
 */
public final class Deadline {

    /** The request header carrying the remaining milliseconds (a non-negative whole number). */
    public static final String HEADER = "Aegis-Deadline-Ms";
    /** The longest deadline honoured from a header: one day. Longer values are shortened to it. */
    public static final long MAX_HEADER_MILLIS = 86_400_000L;

    private final long atNanos;
    private final LongSupplier ticker;

    private Deadline(long atNanos, LongSupplier ticker) {
        this.atNanos = atNanos;
        this.ticker = ticker;
    }

    /** A deadline this long from now on {@link System#nanoTime()}. */
    public static Deadline after(Duration duration) {
        return after(duration, System::nanoTime);
    }

    /**
     * A deadline this long from now on the given nano-time source.
     *
     * @param ticker a monotonic nano-time source such as {@code System::nanoTime}
     */
    public static Deadline after(Duration duration, LongSupplier ticker) {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(ticker, "ticker");
        return new Deadline(ticker.getAsLong() + saturatedNanos(duration), ticker);
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 4 : Long.MAX_VALUE / 4;
        }
    }

    /**
     * Parses a {@value #HEADER} value: 1 to 10 ASCII digits. Values above {@link #MAX_HEADER_MILLIS}
     * are shortened to it.
     *
     * @return the milliseconds, or {@code -1} when the value is not a non-negative whole number
     */
    public static long parseHeader(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > 10) {
            return -1;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return Math.min(Long.parseLong(v), MAX_HEADER_MILLIS);
    }

    /** The time left, zero or negative once passed. */
    public Duration remaining() {
        return Duration.ofNanos(remainingNanos());
    }

    /** The nanoseconds left, zero or negative once passed. */
    public long remainingNanos() {
        return atNanos - ticker.getAsLong();
    }

    /** {@code true} once the deadline has passed. */
    public boolean expired() {
        return remainingNanos() <= 0;
    }

    /** The sooner of the two (on this deadline's time source). */
    public Deadline earliest(Deadline other) {
        if (other == null) {
            return this;
        }
        return other.remainingNanos() < remainingNanos() ? new Deadline(ticker.getAsLong() + other.remainingNanos(), ticker) : this;
    }

    /** The {@value #HEADER} value: whole milliseconds left, rounded down, never negative. */
    public String headerValue() {
        return Long.toString(Math.max(0, remainingNanos() / 1_000_000L));
    }

    @Override
    public String toString() {
        return "Deadline[" + remaining() + " left]";
    }
}
