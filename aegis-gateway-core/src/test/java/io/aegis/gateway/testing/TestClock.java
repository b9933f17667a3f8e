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

    /** A clock at 2030-01-01T00:00:00Z, far from the wall clock so that nothing depends on it. */
    public static TestClock fixed() {
        return new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
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

    public synchronized TestClock advance(Duration d) {
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
