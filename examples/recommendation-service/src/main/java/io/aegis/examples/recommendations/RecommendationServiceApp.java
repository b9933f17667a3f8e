package io.aegis.examples.recommendations;

import io.aegis.examples.support.DevTokenIssuer;
import io.aegis.examples.support.ExampleServer;
import io.aegis.gateway.AegisGateway;
import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.resilience.Fallback;
import io.aegis.gateway.resilience.Upstreams;
import java.util.function.Supplier;

/**
 * The recommendation service: composes a user (user-service) and their policies (policy-service)
 * through the resilient outbound client, forwarding the caller's token, and degrades gracefully
 * when one of them is down. Same environment-variable contract as the user-service (default port
 * 8082), plus the upstream targets {@code AEGIS_UPSTREAMS_USER_SERVICE_TARGETS} and
 * {@code AEGIS_UPSTREAMS_POLICY_SERVICE_TARGETS}.
 */
public final class RecommendationServiceApp implements AutoCloseable {

    private final ExampleServer server;
    private final Upstreams upstreams;
    private LlmRecommendationWriter ownedWriter;

    private RecommendationServiceApp(ExampleServer server, Upstreams upstreams) {
        this.server = server;
        this.upstreams = upstreams;
    }

    public static void main(String[] args) throws Exception {
        RecommendationServiceApp app = start(AegisConfig::load);
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        app.server.join();
    }

    /**
     * Starts the service; recommendations are phrased by the LLM client configured with
     * {@code aegis.llm.*} (the local echo provider when none is), the template being the fallback.
     */
    public static RecommendationServiceApp start(Supplier<AegisConfig> config) throws Exception {
        LlmRecommendationWriter writer = LlmRecommendationWriter.fromConfig(config.get());
        try {
            RecommendationServiceApp app = start(config, writer);
            app.ownedWriter = writer;
            return app;
        } catch (Exception | Error e) {
            writer.close();
            throw e;
        }
    }

    /**
     * Starts the service.
     *
     * @param config the configuration source (read again on every reload)
     * @param writer phrases the recommendations (the LLM seam)
     */
    public static RecommendationServiceApp start(Supplier<AegisConfig> config, RecommendationWriter writer)
            throws Exception {
        Upstreams[] holder = new Upstreams[1];
        ExampleServer server = ExampleServer.start(config, 8082, "recommendations:read users:read policies:read",
                (app, gateway, bind, closeables) -> {
                    Upstreams upstreams = Upstreams.builder(() -> gateway.policy().upstreams())
                            .events(gateway.events()).openTelemetry(gateway.openTelemetry())
                            .fallback(RecommendationResource.USERS, Fallback.lastGood())
                            .fallback(RecommendationResource.POLICIES, Fallback.lastGood())
                            .build();
                    closeables.add(upstreams);
                    upstreams.client(RecommendationResource.USERS); // fail at start when not configured
                    upstreams.client(RecommendationResource.POLICIES);
                    holder[0] = upstreams;
                    app.register(RecommendationResource.class);
                    bind.accept(upstreams, Upstreams.class);
                    bind.accept(writer, RecommendationWriter.class);
                });
        return new RecommendationServiceApp(server, holder[0]);
    }

    public int port() {
        return server.port();
    }

    public AegisGateway gateway() {
        return server.gateway();
    }

    public Upstreams upstreams() {
        return upstreams;
    }

    /** The development issuer, or {@code null} when it is off. */
    public DevTokenIssuer devIssuer() {
        return server.devIssuer();
    }

    @Override
    public void close() {
        server.close();
        if (ownedWriter != null) {
            ownedWriter.close();
        }
    }
}
