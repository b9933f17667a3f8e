package io.aegis.gateway.servlet;

import io.aegis.gateway.auth.Principal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/** Exposes the gateway's principal through the servlet security API. */
final class PrincipalRequest extends HttpServletRequestWrapper {

    private final Principal principal;

    PrincipalRequest(HttpServletRequest request, Principal principal) {
        super(request);
        this.principal = principal;
    }

    @Override
    public java.security.Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal.subject();
    }

    @Override
    public boolean isUserInRole(String role) {
        return principal.roles().contains(role);
    }

    @Override
    public String getAuthType() {
        return principal.scheme().name();
    }
}
