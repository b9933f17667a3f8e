package io.aegis.gateway.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Test fixture: a clock that stands still until a test moves it (thread-safe). */
public final class TestClock extends Clock {

    private volatile Instant now;

    public TestClock(Instant start) {
        this.now = start;
    }

    /** A clock at an ISO-8601 instant, e.g. {@code 2026-03-01T00:00:00Z}. */
    public static TestClock at(String instant) {
        return new TestClock(Instant.parse(instant));
    }

    public TestClock set(Instant t) {
        this.now = t;
        return this;
    }

    public TestClock set(String instant) {
        return set(Instant.parse(instant));
    }

    public TestClock advance(Duration d) {
        this.now = now.plus(d);
        return this;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
