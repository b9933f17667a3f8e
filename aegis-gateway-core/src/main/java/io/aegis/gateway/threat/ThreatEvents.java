package io.aegis.gateway.threat;

/**
 * Event types of threat defense, published on the gateway's {@code GatewayEvents}. They are the
 * hook other features subscribe to: the traffic feature's emergency mode tightens rate limits on
 * {@link #ATTACK_DETECTED} and relaxes them on {@link #ATTACK_ENDED}; the audit log records all of
 * them.
 */
public final class ThreatEvents {

    /** A client was banned: attributes {@code client}, {@code reason}, {@code level}, {@code ttl_seconds}. */
    public static final String CLIENT_BANNED = "threat.client_banned";
    /** A ban was lifted by an operator: attribute {@code client}. */
    public static final String CLIENT_UNBANNED = "threat.client_unbanned";
    /**
     * Many bans or WAF detections within a minute: the service is under attack. Attributes
     * {@code bans_per_minute}, {@code detections_per_minute}. Published once per attack.
     */
    public static final String ATTACK_DETECTED = "threat.attack_detected";
    /** The attack is over (a minute below half the thresholds). */
    public static final String ATTACK_ENDED = "threat.attack_ended";

    private ThreatEvents() {
    }
}
