package io.aegis.gateway.apikey;

/** The lifecycle state of an API key as stored. Expiry is a date, not a state: see {@link ApiKey#validityAt}. */
public enum ApiKeyStatus {
    /** In use. */
    ACTIVE,
    /** Replaced by a successor; valid until its grace period ends. */
    ROTATED,
    /** Withdrawn; never valid again. */
    REVOKED
}
