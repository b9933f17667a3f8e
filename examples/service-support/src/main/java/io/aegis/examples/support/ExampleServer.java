package io.aegis.examples.support;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.jaxrs.AegisFeature;
import io.aegis.gateway.jaxrs.AegisHealthResource;
import io.aegis.gateway.jaxrs.ApiKeyAdminResource;
import io.aegis.gateway.jaxrs.AegisTrafficResource;
import io.aegis.gateway.jaxrs.AegisVersionsResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
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
 * What every Aegis example service does the same way: read MicroProfile Config, build the
 * {@link AegisGateway} (with the development token issuer in the {@code dev} profile), register the
 * JAX-RS application with {@link AegisFeature} and the health resource, and serve it on embedded
 * Jetty 12 at {@code aegis.http.port}. A service adds only its resources.
 */
public final class ExampleServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExampleServer.class.getName());

    private final String name;
    private final Server server;
    private final AegisGateway gateway;
    private final DevTokenIssuer devIssuer;
    private final List<AutoCloseable> resources;

    private ExampleServer(String name, Server server, AegisGateway gateway, DevTokenIssuer devIssuer,
                          List<AutoCloseable> resources) {
        this.name = name;
        this.server = server;
        this.gateway = gateway;
        this.devIssuer = devIssuer;
        this.resources = resources;
    }

    /**
     * Starts a service.
     *
     * @param config the configuration source (read again on every reload)
     * @param defaultPort the port when {@code aegis.http.port} is not set
     * @param devScope the scope of development tokens that ask for none
     * @param setup registers the service's resources and bindings; it may add what must be closed
     *     with the server to the list it is given
     */
    public static ExampleServer start(Supplier<AegisConfig> config, int defaultPort, String devScope,
                                      Setup setup) throws Exception {
        AegisConfig c = config.get();
        String name = c.stringOr("aegis.service.name", "aegis-service");
        int port = c.integer("aegis.http.port", defaultPort, 0, 65535);
        DevTokenIssuer dev = devIssuer(c, port, name, devScope);
        AegisGateway gateway = AegisGateway.builder()
                .config(config)
                .knownKeyPrefixes("aegis.http.", "aegis.dev.", "aegis.llm.")
                .customize(p -> dev == null ? p : dev.apply(p))
                .build();
        List<AutoCloseable> closeables = new ArrayList<>();
        try {
            ResourceConfig app = new ResourceConfig()
                    .property(ServerProperties.WADL_FEATURE_DISABLE, true)
                    .register(JacksonFeature.withoutExceptionMappers())
                    .register(new AegisFeature(gateway))
                    .register(AegisHealthResource.class)
                    .register(AegisTrafficResource.class)
                    .register(AegisVersionsResource.class);
            List<Object[]> bindings = new ArrayList<>();
            setup.register(app, gateway, (instance, type) -> bindings.add(new Object[] {instance, type}), closeables);
            app.register(new AbstractBinder() {
                @Override
                @SuppressWarnings({"unchecked", "rawtypes"})
                protected void configure() {
                    for (Object[] b : bindings) {
                        bind(b[0]).to((Class) b[1]);
                    }
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
            ExampleServer started = new ExampleServer(name, server, gateway, dev, closeables);
            LOG.log(System.Logger.Level.INFO, name + " listening on http://localhost:" + started.port()
                    + (dev == null ? "" : "; development tokens: curl -s -X POST 'http://localhost:" + started.port()
                    + "/dev/token?scope=" + devScope.replace(" ", "%20") + "'"));
            return started;
        } catch (Exception | Error e) {
            closeAll(closeables);
            gateway.close();
            throw e;
        }
    }

    private static DevTokenIssuer devIssuer(AegisConfig c, int port, String name, String devScope) {
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
        String audience = c.list("aegis.auth.jwt.audiences", "mp.jwt.verify.audiences").stream().findFirst().orElse(name);
        String secret = c.string("aegis.dev.token-issuer.shared-secret").orElse(null);
        try {
            return new DevTokenIssuer(issuer, audience, secret, devScope);
        } catch (IllegalArgumentException e) {
            throw new io.aegis.gateway.config.ConfigException("aegis.dev.token-issuer.shared-secret", "****", e.getMessage());
        }
    }

    /** The port the service listens on. */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    public String name() {
        return name;
    }

    public AegisGateway gateway() {
        return gateway;
    }

    /** The development issuer, or {@code null} when it is off. */
    public DevTokenIssuer devIssuer() {
        return devIssuer;
    }

    /** Blocks until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping Jetty failed", e);
        }
        closeAll(resources);
        gateway.close();
    }

    private static void closeAll(List<AutoCloseable> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "closing " + list.get(i) + " failed", e);
            }
        }
    }

    /** Registers a service's resources. */
    @FunctionalInterface
    public interface Setup {
        /**
         * @param app the application to register resources with
         * @param gateway the service's gateway
         * @param bind binds an instance to a type for injection ({@code @Inject})
         * @param closeables what to close with the server
         */
        void register(ResourceConfig app, AegisGateway gateway, BiConsumer<Object, Class<?>> bind,
                      List<AutoCloseable> closeables) throws Exception;
    }

    /** Convenience for {@link Setup} lambdas. */
    public static <T> T require(T value, String what) {
        return Objects.requireNonNull(value, what);
    }
}
