package io.aegis.gateway.threat.spi;

import java.time.Duration;
import java.time.Instant;

/**
 * Where bans live: in memory (one replica) or in Redis (shared by replicas). Implementations are
 * thread-safe, answer {@link #active} quickly (it is called for every request) and never throw:
 * a store that cannot reach its backend answers from what it knows locally.
 */
public interface BanStore extends AutoCloseable {

    /** The ban in force for the client at {@code now}, or {@code null}. */
    Ban active(String client, Instant now);

    /**
     * Bans a client. The length is {@code base} multiplied by {@code escalation} for each earlier
     * ban of the client within {@code memory}, at most {@code max}.
     *
     * @return the ban now in force
     */
    Ban ban(String client, String reason, Instant now, Duration base, double escalation, Duration max, Duration memory);

    /** Lifts a ban (an operator's decision); earlier offenses stay remembered. */
    void unban(String client);

    @Override
    default void close() {
    }
}
