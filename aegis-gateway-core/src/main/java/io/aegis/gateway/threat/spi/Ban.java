package io.aegis.gateway.threat.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A client banned until a time.
 *
 * @param client the client address
 * @param until when the ban ends
 * @param level how many times the client was banned within the offense memory (1 for a first ban);
 *     each level multiplies the ban's length
 * @param reason why, e.g. {@code waf}, {@code auth-failures}, {@code scanning}, {@code rate}
 */
public record Ban(String client, Instant until, int level, String reason) {

    public Ban {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code true} while the ban is in force. */
    public boolean activeAt(Instant now) {
        return now.isBefore(until);
    }
}
