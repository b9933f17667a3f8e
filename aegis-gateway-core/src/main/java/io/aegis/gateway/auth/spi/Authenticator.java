package io.aegis.gateway.auth.spi;

import io.aegis.gateway.pipeline.Exchange;
import io.aegis.gateway.policy.AuthScheme;

/**
 * Verifies one kind of credential. The authentication policy asks the authenticators of the
 * schemes a route accepts, in the route's order; the first that does not abstain decides.
 *
 * <p>Implementations must be thread-safe and must not throw for invalid credentials: return
 * {@link AuthenticationResult#failure}. They may be found with {@link java.util.ServiceLoader}
 * or registered on the gateway builder.
 */
public interface Authenticator {

    /** The scheme this authenticator verifies. */
    AuthScheme scheme();

    /** Looks for this scheme's credential on the request and verifies it. */
    AuthenticationResult authenticate(Exchange exchange);
}
