package io.aegis.examples.users;

import io.aegis.examples.support.DevTokenIssuer;
import io.aegis.examples.support.ExampleServer;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;

/**
 * The user service: the users API on embedded Jetty 12 (ee10) and Jersey 3.1, protected by Aegis
 * Gateway. Configuration comes from MicroProfile Config (environment variables such as
 * {@code AEGIS_HTTP_PORT}, {@code AEGIS_AUTH_JWT_JWKS_URI}; see examples/README.md).
 */
public final class UserServiceApp implements AutoCloseable {

    private final ExampleServer server;

    private UserServiceApp(ExampleServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("keys")) {
            System.exit(KeysCli.run(java.util.Arrays.copyOfRange(args, 1, args.length), System.getenv(), System.out, System.err));
        }
        UserServiceApp app = start(AegisConfig::load);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        app.server.join();
    }

    /**
     * Starts the service.
     *
     * @param config the configuration source (read again on every reload)
     */
    public static UserServiceApp start(java.util.function.Supplier<AegisConfig> config) throws Exception {
        UserRepository users = UserRepository.seeded();
        return new UserServiceApp(ExampleServer.start(config, 8080, "users:read", (app, gateway, bind, closeables) -> {
            app.register(UserResource.class);
            app.register(UserV2Resource.class);
            bind.accept(users, UserRepository.class);
        }));
    }

    /** The port the service listens on. */
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
