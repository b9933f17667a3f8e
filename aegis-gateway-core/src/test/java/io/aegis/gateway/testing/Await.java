package io.aegis.gateway.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Test fixture: waits for a condition that background work makes true, with a deadline, never a fixed sleep. */
public final class Await {

    private Await() {
    }

    /** Polls until the condition holds; fails with {@code what} after the deadline. */
    public static void until(String what, Duration deadline, BooleanSupplier condition) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + deadline + " waiting for " + what);
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    public static void until(String what, BooleanSupplier condition) {
        until(what, Duration.ofSeconds(10), condition);
    }
}
