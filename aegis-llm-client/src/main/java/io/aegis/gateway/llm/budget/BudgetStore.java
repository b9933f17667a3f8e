package io.aegis.gateway.llm.budget;

import java.time.Instant;

/**
 * Where budgets are counted. Every operation is atomic: concurrent reservations can never take
 * a window past its limit together. Implementations are thread-safe.
 */
public interface BudgetStore extends AutoCloseable {

    /**
     * Holds {@code amountNanos} in every limited window of {@code now}, or nothing.
     *
     * @throws BudgetExceededException when a window would pass its limit
     * @throws io.aegis.gateway.llm.LlmException of kind {@code UNAVAILABLE} when the store cannot be reached
     */
    Reservation reserve(String key, long amountNanos, BudgetLimits limits, Instant now);

    /** Replaces the held amount with the actual cost (which may be more or less). */
    void settle(Reservation reservation, long actualNanos);

    /** Releases the held amount (the call failed and cost nothing). */
    default void refund(Reservation reservation) {
        settle(reservation, 0);
    }

    /** Settled plus reserved spending of {@code key} in the day of {@code now}. */
    long spentToday(String key, Instant now);

    /** Settled plus reserved spending of {@code key} in the month of {@code now}. */
    long spentThisMonth(String key, Instant now);

    @Override
    default void close() {
    }

    /** The day window of an instant ({@code d:2026-11-26}, UTC). */
    static String dayWindow(Instant now) {
        return "d:" + now.toString().substring(0, 10);
    }

    /** The month window of an instant ({@code m:2026-11}, UTC). */
    static String monthWindow(Instant now) {
        return "m:" + now.toString().substring(0, 7);
    }
}
