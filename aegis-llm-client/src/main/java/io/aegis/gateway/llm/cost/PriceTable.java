package io.aegis.gateway.llm.cost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Model prices and context windows, in the format of LiteLLM's
 * {@code model_prices_and_context_window.json} (USD per token). {@link #defaults()} is the copy
 * shipped in this jar (MIT-licensed LiteLLM data, see the module README); {@link #withOverrides}
 * layers a user's file of the same format on top (its entries replace whole entries).
 *
 * <p>Lookup of a provider's model tries {@code <namespace>/<model>} ({@code gemini/gemini-2.5-flash},
 * {@code ollama/llama3}), then the bare model, then both without a {@code :tag} suffix (Hugging Face
 * serving provider, Ollama tag). Non-model keys ({@code sample_spec}, {@code fallback_generalizations})
 * and entries without prices are skipped. Immutable and thread-safe.
 */
public final class PriceTable {

    private static final String RESOURCE = "model_prices_and_context_window.json";
    private static volatile PriceTable defaults;

    private final Map<String, ModelPrice> prices;

    private PriceTable(Map<String, ModelPrice> prices) {
        this.prices = Collections.unmodifiableMap(prices);
    }

    /** The table shipped in this jar, read once on first use. */
    public static PriceTable defaults() {
        PriceTable t = defaults;
        if (t == null) {
            synchronized (PriceTable.class) {
                t = defaults;
                if (t == null) {
                    try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
                        if (in == null) {
                            throw new IllegalStateException("price table resource " + RESOURCE + " is missing from the jar");
                        }
                        t = new PriceTable(read(new ObjectMapper().readTree(in)));
                    } catch (IOException e) {
                        throw new UncheckedIOException("price table resource " + RESOURCE + " is unreadable", e);
                    }
                    defaults = t;
                }
            }
        }
        return t;
    }

    /** A table of these entries only. */
    public static PriceTable of(Map<String, ModelPrice> prices) {
        return new PriceTable(new HashMap<>(prices));
    }

    /** A table from a LiteLLM-format JSON document. @throws IllegalArgumentException when it is not a JSON object */
    public static PriceTable parse(String json) {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("price table: not a JSON object (expected: model name -> prices)");
            }
            return new PriceTable(read(root));
        } catch (IOException e) {
            throw new IllegalArgumentException("price table: not valid JSON (" + e.getMessage() + ")", e);
        }
    }

    /** This table with the entries of a LiteLLM-format file on top. @throws IllegalArgumentException when unreadable */
    public PriceTable withOverrides(Path file) {
        String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("price file: " + file + " (expected: a readable JSON file; "
                    + e.getClass().getSimpleName() + ")", e);
        }
        return withOverrides(parse(json));
    }

    /** This table with the other's entries on top. */
    public PriceTable withOverrides(PriceTable other) {
        Map<String, ModelPrice> m = new HashMap<>(prices);
        m.putAll(other.prices);
        return new PriceTable(m);
    }

    /** This table with one entry added or replaced. */
    public PriceTable with(ModelPrice price) {
        Map<String, ModelPrice> m = new HashMap<>(prices);
        m.put(price.key(), price);
        return new PriceTable(m);
    }

    public int size() {
        return prices.size();
    }

    /** The entry under exactly this key. */
    public Optional<ModelPrice> get(String key) {
        return Optional.ofNullable(prices.get(key));
    }

    /**
     * The price of a model of a provider namespace ({@code openai}, {@code anthropic}, {@code gemini},
     * {@code ollama}, ...).
     */
    public Optional<ModelPrice> find(String namespace, String model) {
        Objects.requireNonNull(model, "model");
        ModelPrice p = lookup(namespace, model);
        if (p == null) {
            int colon = model.lastIndexOf(':');
            if (colon > 0) {
                p = lookup(namespace, model.substring(0, colon));
            }
        }
        return Optional.ofNullable(p);
    }

    private ModelPrice lookup(String namespace, String model) {
        ModelPrice p = namespace == null ? null : prices.get(namespace + "/" + model);
        if (p == null) {
            p = prices.get(model);
        }
        return p;
    }

    private static Map<String, ModelPrice> read(JsonNode root) {
        Map<String, ModelPrice> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            String key = e.getKey();
            JsonNode n = e.getValue();
            if (key.equals("sample_spec") || key.equals("fallback_generalizations") || !n.isObject()) {
                continue;
            }
            BigDecimal in = dec(n, "input_cost_per_token");
            BigDecimal outPrice = dec(n, "output_cost_per_token");
            if (in == null && outPrice == null) {
                continue;
            }
            long maxIn = n.path("max_input_tokens").asLong(0);
            if (maxIn == 0 && n.path("max_tokens").isNumber()) {
                maxIn = n.path("max_tokens").asLong(0);
            }
            out.put(key, new ModelPrice(key, text(n, "litellm_provider"), in == null ? BigDecimal.ZERO : in,
                    outPrice == null ? BigDecimal.ZERO : outPrice, dec(n, "cache_read_input_token_cost"),
                    dec(n, "cache_creation_input_token_cost"), dec(n, "output_cost_per_reasoning_token"),
                    new BigDecimal[] {dec(n, "input_cost_per_token_above_200k_tokens"),
                            dec(n, "output_cost_per_token_above_200k_tokens"),
                            dec(n, "cache_read_input_token_cost_above_200k_tokens"),
                            dec(n, "cache_creation_input_token_cost_above_200k_tokens")},
                    maxIn, n.path("max_output_tokens").asLong(0), n.path("supports_assistant_prefill").asBoolean(false)));
        }
        return out;
    }

    private static BigDecimal dec(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            return null;
        }
        BigDecimal d = new BigDecimal(v.asText());
        return d.signum() < 0 ? null : d;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
