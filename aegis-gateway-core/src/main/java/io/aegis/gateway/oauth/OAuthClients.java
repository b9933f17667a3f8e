package io.aegis.gateway.oauth;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client applications a service is registered as ({@code aegis.oauth.clients.<name>.*}), and
 * one token provider and one login flow per registration, made on first use and shared.
 *
 * <p>Thread-safe.
 */
public final class OAuthClients {

    private static final OAuthClients NONE = new OAuthClients(java.util.List.of());

    private final Map<String, OAuthClientRegistration> registrations;
    private final Map<String, ClientCredentialsTokenProvider> providers = new ConcurrentHashMap<>();
    private final Map<String, AuthorizationCodeFlow> flows = new ConcurrentHashMap<>();

    /**
     * @throws IllegalArgumentException when two registrations share a name
     */
    public OAuthClients(Collection<OAuthClientRegistration> registrations) {
        Map<String, OAuthClientRegistration> m = new LinkedHashMap<>();
        for (OAuthClientRegistration r : registrations) {
            if (m.put(r.name(), r) != null) {
                throw new IllegalArgumentException("client " + r.name() + " is registered twice (expected: unique names)");
            }
        }
        this.registrations = Map.copyOf(m);
    }

    /** No clients. */
    public static OAuthClients none() {
        return NONE;
    }

    public Set<String> names() {
        return registrations.keySet();
    }

    /**
     * @throws NoSuchElementException when no client has this name
     */
    public OAuthClientRegistration registration(String name) {
        OAuthClientRegistration r = registrations.get(name);
        if (r == null) {
            throw new NoSuchElementException("no OAuth client " + name + " (expected one of " + names()
                    + "; see aegis.oauth.clients.<name>.*)");
        }
        return r;
    }

    /** The shared client-credentials token provider of a client. */
    public AccessTokenProvider clientCredentials(String name) {
        return providers.computeIfAbsent(name, n -> new ClientCredentialsTokenProvider(registration(n)));
    }

    /** The shared authorization-code flow of a client. */
    public AuthorizationCodeFlow authorizationCode(String name) {
        return flows.computeIfAbsent(name, n -> new AuthorizationCodeFlow(registration(n)));
    }

    @Override
    public String toString() {
        return "OAuthClients" + names();
    }
}
