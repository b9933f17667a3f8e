package io.aegis.gateway;

import io.aegis.gateway.apikey.ApiKeySettings;
import io.aegis.gateway.apikey.ApiKeys;
import io.aegis.gateway.auth.spi.Authenticator;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ApiKeyConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.config.OAuthConfig;
import io.aegis.gateway.health.HealthCheckResult;
import io.aegis.gateway.health.HealthRegistry;
import io.aegis.gateway.oauth.IntrospectionAuthenticator;
import io.aegis.gateway.oauth.IntrospectionSettings;
import io.aegis.gateway.oauth.OAuthClients;
import io.aegis.gateway.pipeline.GatewayPolicy;
import io.aegis.gateway.policy.AuthScheme;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The API-key and OAuth 2.0 parts of a gateway: built once at start from {@code aegis.apikeys.*},
 * {@code aegis.auth.introspection.*} and {@code aegis.oauth.clients.*} (or handed over on the
 * builder), kept across reloads (changing them needs a restart), closed with the gateway.
 */
final class AuthFeatures implements AutoCloseable {

    private final ApiKeys apiKeys;
    private final boolean ownsApiKeys;
    private final IntrospectionAuthenticator introspection;
    private final OAuthClients clients;

    private AuthFeatures(ApiKeys apiKeys, boolean ownsApiKeys, IntrospectionAuthenticator introspection, OAuthClients clients) {
        this.apiKeys = apiKeys;
        this.ownsApiKeys = ownsApiKeys;
        this.introspection = introspection;
        this.clients = clients;
    }

    /**
     * @throws ConfigException when a setting is invalid or the API-key store cannot be prepared
     */
    static AuthFeatures assemble(Supplier<AegisConfig> config, ApiKeys givenKeys, OAuthClients givenClients,
                                 List<Authenticator> registered, Clock clock,
                                 io.aegis.gateway.telemetry.GatewayEvents events, OpenTelemetry otel) {
        AegisConfig c = config == null ? null : config.get();
        String realm = c == null ? "aegis" : c.stringOr("aegis.service.name", "aegis-service");
        ApiKeys keys = givenKeys;
        boolean owns = false;
        if (keys == null && c != null && registered.stream().noneMatch(a -> a.scheme() == AuthScheme.API_KEY)) {
            ApiKeySettings s = ApiKeyConfig.read(c);
            if (s != null) {
                try {
                    keys = ApiKeys.builder(s).realm(realm).clock(clock).events(events).openTelemetry(otel).build();
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new ConfigException("aegis.apikeys", null, e.getMessage(), e);
                }
                owns = true;
            }
        }
        IntrospectionAuthenticator intro = null;
        if (c != null && registered.stream().noneMatch(a -> a.scheme() == AuthScheme.OPAQUE_TOKEN)) {
            IntrospectionSettings s = OAuthConfig.introspection(c);
            if (s != null) {
                intro = IntrospectionAuthenticator.builder(s).realm(realm).clock(clock).events(events).openTelemetry(otel).build();
            }
        }
        OAuthClients clients = givenClients != null ? givenClients
                : c == null ? OAuthClients.none() : new OAuthClients(OAuthConfig.clients(c));
        return new AuthFeatures(keys, owns, intro, clients);
    }

    /** The registered authenticators followed by those built here. */
    List<Authenticator> withAuthenticators(List<Authenticator> registered) {
        List<Authenticator> out = new ArrayList<>(registered);
        if (apiKeys != null && registered.stream().noneMatch(a -> a.scheme() == AuthScheme.API_KEY)) {
            out.add(apiKeys.authenticator());
        }
        if (introspection != null) {
            out.add(introspection);
        }
        return List.copyOf(out);
    }

    /** The registered policies followed by API-key usage accounting. */
    List<GatewayPolicy> withPolicies(List<GatewayPolicy> registered) {
        List<GatewayPolicy> out = new ArrayList<>(registered);
        if (apiKeys != null && apiKeys.usagePolicy() != null && !registered.contains(apiKeys.usagePolicy())) {
            out.add(apiKeys.usagePolicy());
        }
        return List.copyOf(out);
    }

    void registerHealth(HealthRegistry health) {
        if (apiKeys != null) {
            health.register(HealthRegistry.Kind.READINESS, "api-key-store", () -> apiKeys.healthy()
                    ? HealthCheckResult.up("api-key-store")
                    : HealthCheckResult.down("api-key-store", "the API-key store does not answer"));
        }
    }

    ApiKeys apiKeys() {
        return apiKeys;
    }

    IntrospectionAuthenticator introspection() {
        return introspection;
    }

    OAuthClients clients() {
        return clients;
    }

    @Override
    public void close() {
        if (apiKeys != null && ownsApiKeys) {
            apiKeys.close();
        }
    }
}
