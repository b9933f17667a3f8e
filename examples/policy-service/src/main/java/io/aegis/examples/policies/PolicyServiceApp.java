package io.aegis.examples.policies;

import io.aegis.examples.support.DevTokenIssuer;
import io.aegis.examples.support.ExampleServer;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import java.util.function.Supplier;

/**
 * The policy service: JSON policy documents on embedded Jetty 12 and Jersey 3.1, protected by
 * Aegis Gateway like the user-service (same environment-variable contract; default port 8081).
 */
public final class PolicyServiceApp implements AutoCloseable {

    private final ExampleServer server;

    private PolicyServiceApp(ExampleServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        PolicyServiceApp app = start(AegisConfig::load);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        app.server.join();
    }

    /**
     * Starts the service.
     *
     * @param config the configuration source (read again on every reload)
     */
    public static PolicyServiceApp start(Supplier<AegisConfig> config) throws Exception {
        PolicyRepository policies = PolicyRepository.seeded();
        return new PolicyServiceApp(ExampleServer.start(config, 8081, "policies:read", (app, gateway, bind, closeables) -> {
            app.register(PolicyResource.class);
            bind.accept(policies, PolicyRepository.class);
        }));
    }

    public int port() {
        return server.port();
    }

    public AegisGateway gateway() {
        return server.gateway();
    }

    /** The development issuer, or {@code null} when it is off. */
    public DevTokenIssuer devIssuer() {
        return server.devIssuer();
    }

    @Override
    public void close() {
        server.close();
    }
}
