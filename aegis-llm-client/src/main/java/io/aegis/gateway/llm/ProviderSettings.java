package io.aegis.gateway.llm;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One configured provider: a name, its wire format, API root, key, model and timeouts.
 * The key is never shown by {@link #toString()} and never logged; {@link #credentialId()} is a
 * short hash that tells credentials apart in breaker keys, metrics and logs.
 *
 * <p>Defaults: the format's base URL and model; timeout 60s (whole call), connect timeout 10s,
 * idle timeout 30s (before the first byte and between stream chunks), capability
 * {@link Capability#STANDARD}, context window and prices from the price table,
 * {@code anthropic-version} {@code 2023-06-01}. Immutable and thread-safe.
 */
public final class ProviderSettings {

    private final String name;
    private final WireFormat format;
    private final URI baseUrl;
    private final String apiKey;
    private final String model;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Capability capability;
    private final Integer contextWindow;
    private final BigDecimal inputPricePerMillion;
    private final BigDecimal outputPricePerMillion;
    private final Map<String, BigDecimal[]> servingPrices;
    private final String anthropicVersion;

    private ProviderSettings(Builder b) {
        this.name = b.name;
        this.format = b.format;
        this.baseUrl = b.baseUrl != null ? b.baseUrl : b.format.defaultBaseUrl();
        this.apiKey = b.apiKey;
        this.model = b.model != null ? b.model : b.format.defaultModel();
        this.timeout = b.timeout;
        this.connectTimeout = b.connectTimeout;
        this.idleTimeout = b.idleTimeout;
        this.capability = b.capability;
        this.contextWindow = b.contextWindow;
        this.inputPricePerMillion = b.inputPricePerMillion;
        this.outputPricePerMillion = b.outputPricePerMillion;
        this.servingPrices = Map.copyOf(b.servingPrices);
        this.anthropicVersion = b.anthropicVersion;
    }

    /**
     * Starts settings for a provider.
     *
     * @param name lower-case letters, digits and hyphens ({@code openai}, {@code local-vllm})
     * @param format the wire format it speaks
     * @throws IllegalArgumentException for an invalid name
     */
    public static Builder builder(String name, WireFormat format) {
        return new Builder(name, format);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, format).baseUrl(baseUrl).model(model).timeout(timeout)
                .connectTimeout(connectTimeout).idleTimeout(idleTimeout).capability(capability)
                .anthropicVersion(anthropicVersion);
        b.apiKey = apiKey;
        b.contextWindow = contextWindow;
        b.inputPricePerMillion = inputPricePerMillion;
        b.outputPricePerMillion = outputPricePerMillion;
        b.servingPrices.putAll(servingPrices);
        return b;
    }

    public String name() {
        return name;
    }

    public WireFormat format() {
        return format;
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** The API key, or {@code null}. Never log it. */
    public String apiKey() {
        return apiKey;
    }

    public boolean hasApiKey() {
        return apiKey != null && !apiKey.isEmpty();
    }

    /** A short, stable hash of the key ({@code none} without a key): safe to log. */
    public String credentialId() {
        if (!hasApiKey()) {
            return "none";
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String model() {
        return model;
    }

    public Duration timeout() {
        return timeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Capability capability() {
        return capability;
    }

    /** The context window override, or {@code null} for the price table's. */
    public Integer contextWindow() {
        return contextWindow;
    }

    /** The input price override in USD per million tokens, or {@code null}. */
    public BigDecimal inputPricePerMillion() {
        return inputPricePerMillion;
    }

    /** The output price override in USD per million tokens, or {@code null}. */
    public BigDecimal outputPricePerMillion() {
        return outputPricePerMillion;
    }

    /**
     * Hugging Face router prices per serving provider ({@code cerebras}, {@code together}, ...):
     * {input, output} in USD per million tokens, chosen by the model's {@code :provider} suffix.
     */
    public Map<String, BigDecimal[]> servingPrices() {
        return servingPrices;
    }

    public String anthropicVersion() {
        return anthropicVersion;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderSettings s && s.name.equals(name) && s.format == format && s.baseUrl.equals(baseUrl)
                && Objects.equals(s.apiKey, apiKey) && s.model.equals(model) && s.timeout.equals(timeout)
                && s.connectTimeout.equals(connectTimeout) && s.idleTimeout.equals(idleTimeout)
                && s.capability == capability && Objects.equals(s.contextWindow, contextWindow)
                && Objects.equals(s.inputPricePerMillion, inputPricePerMillion)
                && Objects.equals(s.outputPricePerMillion, outputPricePerMillion)
                && s.servingPrices.keySet().equals(servingPrices.keySet())
                && s.anthropicVersion.equals(anthropicVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, format, baseUrl, model);
    }

    @Override
    public String toString() {
        return "ProviderSettings[" + name + ", " + format.name().toLowerCase(Locale.ROOT) + ", " + baseUrl + ", model "
                + model + ", key " + (hasApiKey() ? "****(" + credentialId() + ")" : "none") + ", timeout " + timeout
                + ", idle " + idleTimeout + ", " + capability + "]";
    }

    /** Builds {@link ProviderSettings}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final WireFormat format;
        private URI baseUrl;
        private String apiKey;
        private String model;
        private Duration timeout = Duration.ofSeconds(60);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(30);
        private Capability capability = Capability.STANDARD;
        private Integer contextWindow;
        private BigDecimal inputPricePerMillion;
        private BigDecimal outputPricePerMillion;
        private final Map<String, BigDecimal[]> servingPrices = new LinkedHashMap<>();
        private String anthropicVersion = "2023-06-01";

        private Builder(String name, WireFormat format) {
            if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                throw new IllegalArgumentException("provider name: '" + name
                        + "' (expected: lower-case letters, digits and '-', e.g. openai)");
            }
            this.name = name;
            this.format = Objects.requireNonNull(format, "format");
        }

        /** The API root (scheme, host, port, optional path prefix); paths are appended. */
        public Builder baseUrl(URI url) {
            Objects.requireNonNull(url, "url");
            if (format != WireFormat.ECHO && (url.getScheme() == null
                    || !(url.getScheme().equals("http") || url.getScheme().equals("https")) || url.getHost() == null)) {
                throw new IllegalArgumentException("base-url: '" + url + "' (expected: an http(s) URL with a host)");
            }
            String s = url.toString();
            this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            return this;
        }

        public Builder baseUrl(String url) {
            try {
                return baseUrl(URI.create(url.trim()));
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("base-url")) {
                    throw e;
                }
                throw new IllegalArgumentException("base-url: '" + url + "' (expected: an http(s) URL)", e);
            }
        }

        /** The API key; {@code null} or blank for none. */
        public Builder apiKey(String key) {
            if (key != null && key.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new IllegalArgumentException("api-key: contains whitespace or non-ASCII characters"
                        + " (expected: the key alone, e.g. without a trailing newline)");
            }
            this.apiKey = key == null || key.isBlank() ? null : key;
            return this;
        }

        public Builder model(String model) {
            if (model == null || model.isBlank() || model.length() > 200) {
                throw new IllegalArgumentException("model: '" + model + "' (expected: a model name)");
            }
            this.model = model.trim();
            return this;
        }

        /** The longest a whole call may take. */
        public Builder timeout(Duration d) {
            this.timeout = positive("timeout", d);
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = positive("connect-timeout", d);
            return this;
        }

        /** The longest wait for the first byte and between stream chunks (stall detection). */
        public Builder idleTimeout(Duration d) {
            this.idleTimeout = positive("idle-timeout", d);
            return this;
        }

        public Builder capability(Capability c) {
            this.capability = Objects.requireNonNull(c, "capability");
            return this;
        }

        public Builder contextWindow(int tokens) {
            if (tokens < 256) {
                throw new IllegalArgumentException("context-window: " + tokens + " (expected: >= 256 tokens)");
            }
            this.contextWindow = tokens;
            return this;
        }

        /** Prices in USD per million tokens, overriding the price table for this provider. */
        public Builder prices(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
            this.inputPricePerMillion = nonNegative("input price", inputPerMillion);
            this.outputPricePerMillion = nonNegative("output price", outputPerMillion);
            return this;
        }

        /** Hugging Face: prices of one serving provider in USD per million tokens. */
        public Builder servingPrice(String servingProvider, BigDecimal inputPerMillion, BigDecimal outputPerMillion) {
            if (servingProvider == null || !servingProvider.matches("[a-z0-9][a-z0-9-]*")) {
                throw new IllegalArgumentException("serving provider: '" + servingProvider
                        + "' (expected: a lower-case name such as cerebras)");
            }
            servingPrices.put(servingProvider, new BigDecimal[] {nonNegative("input price", inputPerMillion),
                    nonNegative("output price", outputPerMillion)});
            return this;
        }

        public Builder anthropicVersion(String version) {
            if (version == null || !version.matches("\\d{4}-\\d{2}-\\d{2}")) {
                throw new IllegalArgumentException("anthropic-version: '" + version + "' (expected: a date like 2023-06-01)");
            }
            this.anthropicVersion = version;
            return this;
        }

        public ProviderSettings build() {
            return new ProviderSettings(this);
        }

        private static Duration positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + ": " + d + " (expected: > 0)");
            }
            return d;
        }

        private static BigDecimal nonNegative(String what, BigDecimal v) {
            Objects.requireNonNull(v, what);
            if (v.signum() < 0) {
                throw new IllegalArgumentException(what + ": " + v + " (expected: >= 0)");
            }
            return v;
        }
    }
}
