package io.aegis.examples.users;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.jaxrs.AegisFeature;
import io.aegis.gateway.jaxrs.AegisHealthResource;
import io.aegis.gateway.jaxrs.ApiKeyAdminResource;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The user service: the users API on embedded Jetty 12 (ee10) and Jersey 3.1, protected by Aegis
 * Gateway. Configuration comes from MicroProfile Config (environment variables such as
 * {@code AEGIS_HTTP_PORT}, {@code AEGIS_AUTH_JWT_JWKS_URI}; see examples/README.md).
 */
public final class UserServiceApp implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UserServiceApp.class.getName());

    private final Server server;
    private final AegisGateway gateway;
    private final DevTokenIssuer devIssuer;

    private UserServiceApp(Server server, AegisGateway gateway, DevTokenIssuer devIssuer) {
        this.server = server;
        this.gateway = gateway;
        this.devIssuer = devIssuer;
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
        AegisConfig c = config.get();
        int port = c.integer("aegis.http.port", 8080, 0, 65535);
        DevTokenIssuer dev = devIssuer(c, port);
        AegisGateway gateway = AegisGateway.builder()
                .config(config)
                .knownKeyPrefixes("aegis.http.", "aegis.dev.")
                .customize(p -> dev == null ? p : dev.apply(p))
                .build();

        UserRepository users = UserRepository.seeded();
        ResourceConfig app = new ResourceConfig()
                .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                .register(JacksonFeature.withoutExceptionMappers())
                .register(new AegisFeature(gateway))
                .register(AegisHealthResource.class)
                .register(UserResource.class)
                .register(new AbstractBinder() {
                    @Override
                    protected void configure() {
                        bind(users).to(UserRepository.class);
                        if (dev != null) {
                            bind(dev).to(DevTokenIssuer.class);
                        }
                    }
                });
        if (dev != null) {
            app.register(DevTokenResource.class);
        }
        if (gateway.apiKeys() != null) {
            app.register(ApiKeyAdminResource.class);
        }

        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("http");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler ctx = new ServletContextHandler("/");
        ctx.addServlet(new ServletHolder(new ServletContainer(app)), "/*");
        server.setHandler(ctx);
        server.setStopAtShutdown(false);
        server.start();
        UserServiceApp started = new UserServiceApp(server, gateway, dev);
        LOG.log(System.Logger.Level.INFO, "user-service listening on http://localhost:" + started.port()
                + (dev == null ? "" : "; development tokens: curl -s -X POST 'http://localhost:" + started.port()
                + "/dev/token?scope=users:read'"));
        return started;
    }

    private static DevTokenIssuer devIssuer(AegisConfig c, int port) {
        if (!c.bool("aegis.dev.token-issuer.enabled", false)) {
            return null;
        }
        boolean idp = c.string("aegis.auth.jwt.jwks-uri").isPresent()
                || c.string("aegis.auth.jwt.public-key", "mp.jwt.verify.publickey").isPresent()
                || c.string("aegis.auth.jwt.public-key-location", "mp.jwt.verify.publickey.location").isPresent()
                || c.string("aegis.auth.jwt.secret").isPresent() || c.string("aegis.auth.jwt.secret-file").isPresent();
        if (idp) {
            LOG.log(System.Logger.Level.INFO, "an identity provider is configured: the development token issuer is off");
            return null;
        }
        String issuer = c.stringOr("aegis.auth.jwt.issuer", "http://localhost:" + port + "/dev", "mp.jwt.verify.issuer");
        String audience = c.list("aegis.auth.jwt.audiences", "mp.jwt.verify.audiences").stream().findFirst()
                .orElse("user-service");
        return new DevTokenIssuer(issuer, audience);
    }

    /** The port the service listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public AegisGateway gateway() {
        return gateway;
    }

    /** The development issuer, or {@code null} when it is off. */
    public DevTokenIssuer devIssuer() {
        return devIssuer;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping Jetty failed", e);
        }
        gateway.close();
    }
}
