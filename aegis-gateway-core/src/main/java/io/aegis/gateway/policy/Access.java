package io.aegis.gateway.policy;

/** Who may call a route at all, before scopes and roles are considered. */
public enum Access {
    /** Anyone, authenticated or not. Credentials that are presented are still verified. */
    PUBLIC,
    /** Only an authenticated principal. */
    AUTHENTICATED,
    /** No one (Jakarta {@code @DenyAll}). */
    DENY_ALL
}
