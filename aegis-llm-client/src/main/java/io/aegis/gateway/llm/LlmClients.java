package io.aegis.gateway.llm;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;

/** Entry points that build an {@link LlmClient} from configuration. */
public final class LlmClients {

    private LlmClients() {
    }

    /**
     * A client configured by {@code aegis.llm.*} (see {@link LlmConfig}); with no provider configured
     * it answers with the built-in local echo provider.
     *
     * @throws ConfigException naming the first invalid key
     */
    public static LlmClient fromConfig(AegisConfig config) {
        return LlmConfig.read(config).build();
    }

    /** A client from the default configuration sources ({@link AegisConfig#load()}). */
    public static LlmClient fromConfig() {
        return fromConfig(AegisConfig.load());
    }
}
