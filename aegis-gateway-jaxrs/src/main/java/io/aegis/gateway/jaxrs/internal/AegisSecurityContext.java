package io.aegis.gateway.jaxrs.internal;

import io.aegis.gateway.auth.Principal;
import jakarta.ws.rs.core.SecurityContext;

/** Exposes the gateway's principal as the JAX-RS security context. */
final class AegisSecurityContext implements SecurityContext {

    private final Principal principal;
    private final boolean secure;

    AegisSecurityContext(Principal principal, boolean secure) {
        this.principal = principal;
        this.secure = secure;
    }

    @Override
    public java.security.Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public boolean isUserInRole(String role) {
        return principal.roles().contains(role);
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public String getAuthenticationScheme() {
        return principal.scheme().name();
    }
}
