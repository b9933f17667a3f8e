package io.aegis.gateway.llm.budget;

import java.util.List;

/**
 * Money held for one call until it is settled or refunded. It names the windows it was taken
 * from, so a call that ends after midnight settles against the day it started in.
 *
 * @param key the budget key
 * @param amountNanos the amount held
 * @param windows the window ids it was taken from ({@code d:2026-11-26}, {@code m:2026-11})
 */
public record Reservation(String key, long amountNanos, List<String> windows) {
    public Reservation {
        windows = List.copyOf(windows);
    }
}
