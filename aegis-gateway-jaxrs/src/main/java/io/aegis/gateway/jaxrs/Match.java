package io.aegis.gateway.jaxrs;

/** How the values of {@link RequiresScopes} or {@link RequiresRoles} combine. */
public enum Match {
    /** Every value is required. */
    ALL,
    /** Any one value suffices. */
    ANY
}
