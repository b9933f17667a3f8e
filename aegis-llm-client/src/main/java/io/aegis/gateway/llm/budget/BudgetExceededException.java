package io.aegis.gateway.llm.budget;

import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import java.time.Duration;

/**
 * A reservation did not fit: the key's spending in a window plus the call's worst case would pass
 * its limit. {@link #retryAfter()} is the time until that window ends.
 */
public final class BudgetExceededException extends LlmException {

    private static final long serialVersionUID = 1L;

    private final String window;
    private final long limitNanos;
    private final long spentNanos;

    public BudgetExceededException(String key, String window, long limitNanos, long spentNanos, long askedNanos,
                                   Duration untilReset) {
        super(LlmErrorKind.BUDGET_EXCEEDED, "budget of '" + key + "' for " + window + ": spent " + Money.toUsd(spentNanos)
                + " USD of " + Money.toUsd(limitNanos) + ", the call may cost up to " + Money.toUsd(askedNanos) + " USD",
                null, null, 0, null, untilReset, null, null);
        this.window = window;
        this.limitNanos = limitNanos;
        this.spentNanos = spentNanos;
    }

    /** The window that is full ({@code d:2026-11-26} or {@code m:2026-11}). */
    public String window() {
        return window;
    }

    public long limitNanos() {
        return limitNanos;
    }

    /** Settled plus reserved spending in the window. */
    public long spentNanos() {
        return spentNanos;
    }
}
