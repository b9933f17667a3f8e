package io.aegis.gateway.mesh.extauthz;

import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.mesh.extauthz.internal.CheckHandler;
import java.util.Objects;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An Envoy ext_authz HTTP authorization service that runs the pipeline of an
 * {@link AegisGateway}: whatever stages the gateway holds (client address, request limits,
 * threat inspection, versions, authentication, authorization, rate limits) decide every check,
 * exactly as they would in the service. For services that cannot embed the library; wired into
 * Istio by the generator (an {@code envoyExtAuthzHttp} extension provider and a {@code CUSTOM}
 * authorization policy).
 *
 * <p>Protocol: Envoy sends the original method and headers and {@code path_prefix} + the original
 * path (and, if configured, the body). 200 allows the request, with {@code x-aegis-principal},
 * {@code x-aegis-scopes}, {@code x-aegis-tenant}, {@code x-aegis-tier}, {@code x-aegis-version}
 * for the upstream (Istio {@code headersToUpstreamOnAllow}) and the rate-limit and deprecation
 * headers for the client ({@code headersToDownstreamOnAllow}); any other status denies, and
 * Envoy sends that status, the problem's headers and its {@code application/problem+json} body
 * to the client ({@code headersToDownstreamOnDeny}). {@code /health}, {@code /health/live},
 * {@code /health/ready} and {@code /health/started} report the gateway's health checks.
 *
 * <p>Thread-safe. Closing stops the HTTP server, not the gateway (its owner closes it).
 */
public final class ExtAuthzServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ExtAuthzServer.class.getName());

    private final Server server;
    private final ServerConnector connector;

    private ExtAuthzServer(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    /**
     * Starts the server.
     *
     * @throws Exception when it cannot listen (the port is taken, ...)
     */
    public static ExtAuthzServer start(AegisGateway gateway, ExtAuthzSettings settings) throws Exception {
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(settings, "settings");
        QueuedThreadPool threads = new QueuedThreadPool(200, 8);
        threads.setName("ext-authz");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);
        server.setHandler(new CheckHandler(gateway, settings.pathPrefix(), settings.clientAddressHeader()));
        server.setStopAtShutdown(false);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        LOG.log(System.Logger.Level.INFO, "ext_authz for " + gateway.policy().name() + " listening on "
                + settings.host() + ":" + connector.getLocalPort() + ", checks under " + settings.pathPrefix());
        return new ExtAuthzServer(server, connector);
    }

    /** The port the server listens on. */
    public int port() {
        return connector.getLocalPort();
    }

    /** Waits until the server stops. */
    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "stopping the ext_authz server failed", e);
        }
    }
}
