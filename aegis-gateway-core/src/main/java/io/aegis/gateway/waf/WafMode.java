package io.aegis.gateway.waf;

/** What the WAF does with a detection. */
public enum WafMode {
    /** Answer 403 {@code request-blocked} with an incident id, and record the event. */
    BLOCK,
    /** Let the request through and record the event (for tuning before blocking). */
    DETECT
}
