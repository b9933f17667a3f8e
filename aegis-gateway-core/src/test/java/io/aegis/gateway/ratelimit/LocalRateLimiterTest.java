package io.aegis.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Token buckets on an injected nano clock: admits, refusals, refill, reconfiguration, eviction. */
class LocalRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LocalRateLimiter limiter = new LocalRateLimiter(1000, nanos::get);

    private void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    private int admitted(String key, LimitSet limits, int attempts) {
        int n = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.tryConsume(key, limits, 1).allowed()) {
                n++;
            }
        }
        return n;
    }

    @Test
    void admitsExactlyTheLimitThenRefusesWithRetryAfter() {
        LimitSet five = LimitSet.parse("5/1s");
        for (int i = 4; i >= 0; i--) {
            RateLimitResult r = limiter.tryConsume("k", five, 1);
            assertThat(r.allowed()).isTrue();
            assertThat(r.remaining(0)).isEqualTo(i);
            assertThat(r.retryAfterSeconds()).isZero();
        }
        RateLimitResult refused = limiter.tryConsume("k", five, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining(0)).isZero();
        assertThat(refused.resetSeconds(0)).isEqualTo(1);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1); // 200 ms, rounded up
    }

    @Test
    void refillsSmoothlyAsTimePasses() {
        LimitSet five = LimitSet.parse("5/1s");
        assertThat(admitted("k", five, 10)).isEqualTo(5);
        advance(Duration.ofMillis(199));
        assertThat(limiter.tryConsume("k", five, 1).allowed()).isFalse();
        advance(Duration.ofMillis(1));
        assertThat(admitted("k", five, 10)).isEqualTo(1);
        advance(Duration.ofSeconds(5));
        assertThat(admitted("k", five, 10)).isEqualTo(5);
    }

    @Test
    void everyBandwidthMustHaveRoom() {
        LimitSet set = LimitSet.parse("2/1s,3/1m");
        assertThat(admitted("k", set, 5)).isEqualTo(2);
        advance(Duration.ofSeconds(1));
        RateLimitResult third = limiter.tryConsume("k", set, 1);
        assertThat(third.allowed()).isTrue();
        assertThat(third.remaining(0)).isEqualTo(1);
        assertThat(third.remaining(1)).isZero();
        assertThat(third.resetSeconds(1)).isEqualTo(60);
        RateLimitResult refused = limiter.tryConsume("k", set, 1);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining(0)).isEqualTo(1); // the refused request took nothing
        assertThat(refused.retryAfterSeconds()).isEqualTo(19); // one token per 20 s, 1 s already passed
        advance(Duration.ofSeconds(19));
        assertThat(limiter.tryConsume("k", set, 1).allowed()).isTrue();
    }

    @Test
    void aRequestTakesItsCost() {
        LimitSet ten = LimitSet.parse("10/1m");
        assertThat(limiter.tryConsume("k", ten, 4).remaining(0)).isEqualTo(6);
        assertThat(limiter.tryConsume("k", ten, 4).remaining(0)).isEqualTo(2);
        RateLimitResult refused = limiter.tryConsume("k", ten, 4);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.remaining(0)).isEqualTo(2);
        assertThat(refused.retryAfterSeconds()).isEqualTo(12);
    }

    @Test
    void aCostAboveTheCapacityNeverPassesAndDoesNotInviteARetryInOneSecond() {
        RateLimitResult r = limiter.tryConsume("k", LimitSet.parse("3/1s"), 5);
        assertThat(r.allowed()).isFalse();
        assertThat(r.remaining(0)).isEqualTo(3);
        assertThat(r.retryAfterSeconds()).isGreaterThan(Duration.ofDays(365 * 100).toSeconds());
    }

    @Test
    void keysHaveTheirOwnBuckets() {
        LimitSet two = LimitSet.parse("2/1h");
        assertThat(admitted("a", two, 5)).isEqualTo(2);
        assertThat(admitted("b", two, 5)).isEqualTo(2);
        assertThat(limiter.size()).isEqualTo(2);
    }

    @Test
    void newLimitsForAKeyKeepItsShareAndLeaveOtherKeysUntouched() {
        LimitSet ten = LimitSet.parse("10/1h");
        LimitSet twenty = LimitSet.parse("20/1h");
        assertThat(admitted("a", ten, 4)).isEqualTo(4); // 6 of 10 left
        assertThat(admitted("b", ten, 2)).isEqualTo(2); // 8 of 10 left

        assertThat(limiter.tryConsume("a", twenty, 1).remaining(0)).isEqualTo(11); // 12 of 20, minus this one
        assertThat(limiter.tryConsume("b", ten, 1).remaining(0)).isEqualTo(7);
        // An equal but distinct LimitSet is no change.
        assertThat(limiter.tryConsume("b", LimitSet.parse("10/1h"), 1).remaining(0)).isEqualTo(6);
    }

    @Test
    void theNumberOfBucketsIsBounded() {
        LocalRateLimiter small = new LocalRateLimiter(3, nanos::get);
        LimitSet one = LimitSet.parse("1/1h");
        for (int i = 0; i < 50; i++) {
            small.tryConsume("k" + i, one, 1);
        }
        small.cleanUp();
        assertThat(small.size()).isLessThanOrEqualTo(3);
    }

    @Test
    void bucketsIdleForTheirLongestWindowAreEvicted() {
        LimitSet set = LimitSet.parse("1/1s,5/1m");
        limiter.tryConsume("a", set, 1);
        limiter.tryConsume("b", LimitSet.parse("1/1s"), 1);
        advance(Duration.ofSeconds(2));
        limiter.cleanUp();
        assertThat(limiter.size()).isEqualTo(1);
        advance(Duration.ofSeconds(59));
        limiter.cleanUp();
        assertThat(limiter.size()).isZero();
        // An evicted bucket would have been full again anyway.
        assertThat(limiter.tryConsume("a", set, 1).remaining(1)).isEqualTo(4);
    }

    @Test
    void atLeastOneBucket() {
        assertThatThrownBy(() -> new LocalRateLimiter(0, nanos::get)).hasMessage("max-buckets: 0 (expected: >= 1)");
    }
}
