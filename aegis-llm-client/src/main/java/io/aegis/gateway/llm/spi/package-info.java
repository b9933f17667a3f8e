/**
 * The provider SPI: implement {@link io.aegis.gateway.llm.spi.LlmProvider} to add a wire format
 * the client does not speak, and hand it to {@code LlmClient.Builder.provider(...)}.
 */
@UnstableApi
package io.aegis.gateway.llm.spi;

import io.aegis.gateway.llm.UnstableApi;
