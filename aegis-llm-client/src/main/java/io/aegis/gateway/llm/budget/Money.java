package io.aegis.gateway.llm.budget;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Budgets count nano-dollars (10<sup>-9</sup> USD) in a {@code long}: exact integer arithmetic,
 * atomic in Redis ({@code INCRBY}), and fine enough that a single token of the cheapest priced model
 * is not rounded away (up to 9.2 billion dollars).
 */
public final class Money {

    private static final BigDecimal NANOS = BigDecimal.valueOf(1_000_000_000L);

    private Money() {
    }

    /** Dollars to nano-dollars, rounded up (a reservation never falls short by rounding). */
    public static long toNanos(BigDecimal usd) {
        return usd.multiply(NANOS).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public static BigDecimal toUsd(long nanos) {
        return BigDecimal.valueOf(nanos).divide(NANOS).stripTrailingZeros();
    }

    /**
     * Parses a dollar amount such as {@code 5}, {@code 12.50} or {@code 0.000001}.
     *
     * @throws IllegalArgumentException naming the text when it is not a non-negative amount
     */
    public static BigDecimal parseUsd(String text) {
        try {
            String t = text.trim();
            if (t.startsWith("$")) {
                t = t.substring(1);
            }
            BigDecimal d = new BigDecimal(t);
            if (d.signum() < 0) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("amount: '" + text + "' (expected: US dollars, e.g. 5 or 12.50)", e);
        }
    }
}
