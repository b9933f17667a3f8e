package io.aegis.gateway.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.aegis.gateway.ratelimit.EmergencyMode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shared emergency value: round trips whatever an operator typed, and refuses what is not one. */
class RedisEmergencySharingCodecTest {

    @Test
    void roundTripsActorsAndReasonsOfAnyText() {
        EmergencyMode.State s = new EmergencyMode.State(true, 0.25, true, "incident | 42\n%2F 침해 사고 😀",
                "ops|admin@example.com", Instant.ofEpochMilli(1_764_000_000_123L), Instant.ofEpochMilli(1_764_000_900_000L));
        String v = RedisEmergencySharing.encode("id-1", s);
        assertThat(v).doesNotContain("\n").startsWith("v1|id-1|1|0.25|1|");
        assertThat(RedisEmergencySharing.id(v)).isEqualTo("id-1");
        assertThat(RedisEmergencySharing.decode(v)).isEqualTo(s);
        EmergencyMode.State left = new EmergencyMode.State(false, 1.0, false, "resolved", "oncall", Instant.ofEpochMilli(5), null);
        assertThat(RedisEmergencySharing.decode(RedisEmergencySharing.encode("id-2", left))).isEqualTo(left);
    }

    @Test
    void foreignOrDamagedValuesAreNoState() {
        String[] bad = {"", "1", "v2|id|1|0.5|0|0|-1|a|b", "v1|id|1|0.5|0|0|-1|a", "v1|id|1|2.0|0|0|-1|a|b",
            "v1|id|1|0|0|0|-1|a|b", "v1|id|1|NaN|0|0|-1|a|b", "v1|id|1|0.5|0|x|-1|a|b", "v1|id|1|0.5|0|0|-1|%zz|b",
            "v1|id|1|0.5|0|0|-1|a|b|c"};
        for (String v : bad) {
            assertThat(RedisEmergencySharing.decode(v)).as(v).isNull();
        }
        assertThat(RedisEmergencySharing.id("v2|id|1|0.5|0|0|-1|a|b")).isNull();
    }
}
