package io.aegis.gateway.llm;

import io.aegis.gateway.config.AegisConfig;
import io.aegis.gateway.config.ConfigException;
import io.aegis.gateway.llm.budget.BudgetLimits;
import io.aegis.gateway.llm.budget.Money;
import io.aegis.gateway.llm.budget.RedisBudgetStore;
import io.aegis.gateway.llm.cache.LocalResponseCache;
import io.aegis.gateway.llm.cache.RedisResponseCache;
import io.aegis.gateway.llm.cost.PriceTable;
import io.aegis.gateway.llm.validation.ResponseValidator;
import io.aegis.gateway.llm.validation.Validators;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads the LLM client's configuration ({@code aegis.llm.*}, every key in {@code docs/configuration.md}
 * and {@code docs/llm.md}) into an {@link LlmClient.Builder}, through {@link AegisConfig} (the only
 * reader of MicroProfile Config). Environment variables follow the MicroProfile mapping:
 * {@code AEGIS_LLM_PROVIDERS_OPENAI_API_KEY} is {@code aegis.llm.providers.openai.api-key},
 * {@code AEGIS_LLM_ROUTE_DEFAULT} is {@code aegis.llm.route.default}.
 *
 * <p>The providers {@code openai}, {@code anthropic}, {@code gemini}, {@code huggingface} and
 * {@code ollama} are always looked for (so environment variables alone configure them); other names
 * appear by having keys. A hosted provider counts as configured when it has a key or a base URL,
 * Ollama and other names when any of their keys is set. With no provider configured, the route is
 * the built-in {@code echo} provider, so a demo runs offline.
 */
public final class LlmConfig {

    /** The prefix of every key read here (hand it to {@code AegisGateway.Builder.knownKeyPrefixes}). */
    public static final String PREFIX = "aegis.llm.";

    private static final System.Logger LOG = System.getLogger(LlmConfig.class.getName());
    private static final List<String> KNOWN = List.of("openai", "anthropic", "gemini", "huggingface", "ollama");
    private static final List<String> PROVIDER_KEYS = List.of("format", "base-url", "api-key", "api-key-file", "model",
            "timeout", "connect-timeout", "idle-timeout", "capability", "context-window", "price", "anthropic-version");

    private LlmConfig() {
    }

    /**
     * Reads a builder; add telemetry, events or a clock to it, then {@code build()}.
     *
     * @throws ConfigException naming the first invalid key, its value (secrets masked) and the rule
     */
    public static LlmClient.Builder read(AegisConfig c) {
        warnUnknownKeys(c);
        LlmClient.Builder b = LlmClient.builder();
        List<ProviderSettings> providers = providers(c);
        boolean echoListed = false;
        List<Candidate> route = candidates(c, "aegis.llm.route.default");
        for (Candidate cand : route) {
            echoListed |= cand.provider().equals("echo");
        }
        if (providers.stream().noneMatch(p -> p.name().equals("echo")) && (providers.isEmpty() || echoListed)) {
            providers.add(ProviderSettings.builder("echo", WireFormat.ECHO).build());
        }
        Set<String> names = new LinkedHashSet<>();
        providers.forEach(p -> {
            names.add(p.name());
            b.provider(p);
        });
        if (providers.size() == 1 && providers.get(0).format() == WireFormat.ECHO && !echoListed) {
            LOG.log(System.Logger.Level.INFO, "no LLM provider configured (aegis.llm.providers.<name>.api-key or base-url):"
                    + " answering with the built-in local echo provider");
        }
        if (!route.isEmpty()) {
            for (Candidate cand : route) {
                if (!names.contains(cand.provider())) {
                    throw new ConfigException("aegis.llm.route.default", c.stringOr("aegis.llm.route.default", ""),
                            "provider " + cand.provider() + " is not configured; expected: providers with an api-key or"
                                    + " base-url among " + names);
                }
            }
            b.route(route);
        }
        for (String type : c.childNames("aegis.llm.route.types")) {
            String p = "aegis.llm.route.types." + type + ".";
            String key = p + "min-capability";
            if (c.string(key).isPresent()) {
                Capability floor = c.choice(key, Capability.class, Capability.BASIC);
                apply(key, type, () -> b.requestType(type, floor));
            }
            List<Candidate> typeRoute = candidates(c, p + "candidates");
            for (Candidate cand : typeRoute) {
                if (!names.contains(cand.provider())) {
                    throw new ConfigException(p + "candidates", c.stringOr(p + "candidates", ""), "provider "
                            + cand.provider() + " is not configured (expected: one of " + names + ")");
                }
            }
            if (!typeRoute.isEmpty()) {
                b.requestTypeRoute(type, typeRoute);
            }
        }
        MidStreamPolicy.Mode mode = c.choice("aegis.llm.route.mid-stream", MidStreamPolicy.Mode.class,
                MidStreamPolicy.Mode.FAIL);
        int bufferTokens = c.integer("aegis.llm.route.buffer-tokens", 20, 0, 10_000);
        Duration bufferTime = c.duration("aegis.llm.route.buffer-time", Duration.ofMillis(500));
        apply("aegis.llm.route.buffer-time", bufferTime.toString(),
                () -> b.midStream(new MidStreamPolicy(mode, bufferTokens, bufferTime)));

        Duration hedgeAfter = c.duration("aegis.llm.route.hedge-after", null);
        boolean hedgeAdaptive = c.bool("aegis.llm.route.hedge-adaptive", false);
        apply("aegis.llm.route.hedge-after", hedgeAfter == null ? null : hedgeAfter.toString(),
                () -> b.hedge(hedgeAfter, hedgeAdaptive));

        int attempts = c.integer("aegis.llm.retry.max-attempts", 2, 1, 10);
        Duration backoff = c.duration("aegis.llm.retry.backoff", Duration.ofMillis(200));
        Duration maxBackoff = c.duration("aegis.llm.retry.max-backoff", Duration.ofSeconds(2));
        Duration maxWait = c.duration("aegis.llm.retry.max-wait", Duration.ofSeconds(10));
        apply("aegis.llm.retry", null, () -> b.retry(attempts, backoff, maxBackoff, maxWait));
        int threshold = c.integer("aegis.llm.circuit.failure-threshold", 5, 1, 1000);
        Duration cooldown = c.duration("aegis.llm.circuit.cooldown", Duration.ofSeconds(30));
        apply("aegis.llm.circuit.cooldown", cooldown.toString(), () -> b.circuitBreaker(threshold, cooldown));
        Duration quotaPark = c.duration("aegis.llm.circuit.quota-park", Duration.ofHours(1));
        Duration credentialPark = c.duration("aegis.llm.circuit.credential-park", Duration.ofMinutes(5));
        apply("aegis.llm.circuit", null, () -> b.park(quotaPark, credentialPark));

        String redisUri = c.stringOr("aegis.llm.redis.uri", "redis://127.0.0.1:6379");
        String redisPrefix = c.stringOr("aegis.llm.redis.key-prefix", "aegis:llm:");
        Duration redisTimeout = c.duration("aegis.llm.redis.timeout", Duration.ofSeconds(2));

        BudgetLimits limits = limits(c, "aegis.llm.budget.");
        b.budgetLimits(limits);
        for (String key : c.childNames("aegis.llm.budget.keys")) {
            b.budgetLimits(key, limits(c, "aegis.llm.budget.keys." + key + "."));
        }
        b.budgetFailOpen(c.bool("aegis.llm.budget.fail-open", false));
        Store budgetStore = c.choice("aegis.llm.budget.store", Store.class, Store.MEMORY);
        if (budgetStore == Store.REDIS) {
            b.budgetStore(connect("aegis.llm.redis.uri", redisUri,
                    () -> RedisBudgetStore.connect(redisUri, redisPrefix, redisTimeout)));
        }

        if (!c.bool("aegis.llm.cache.enabled", true)) {
            b.cache(null);
        } else {
            int maxEntries = c.integer("aegis.llm.cache.max-entries", 10_000, 1, 10_000_000);
            Store cacheStore = c.choice("aegis.llm.cache.store", Store.class, Store.MEMORY);
            b.cache(cacheStore == Store.REDIS
                    ? connect("aegis.llm.redis.uri", redisUri, () -> RedisResponseCache.connect(redisUri, redisPrefix, redisTimeout))
                    : new LocalResponseCache(maxEntries));
            Duration ttl = c.duration("aegis.llm.cache.ttl", Duration.ofMinutes(10));
            boolean nonDeterministic = c.bool("aegis.llm.cache.non-deterministic", false);
            apply("aegis.llm.cache.ttl", ttl.toString(), () -> b.cachePolicy(ttl, nonDeterministic));
        }

        List<String> semanticTenants = c.list("aegis.llm.cache.semantic.tenants");
        if (!semanticTenants.isEmpty()) {
            double similarity = c.parse("aegis.llm.cache.semantic.threshold", Double::parseDouble).orElse(0.9);
            int max = c.integer("aegis.llm.cache.semantic.max-entries", 1_000, 1, 1_000_000);
            apply("aegis.llm.cache.semantic.threshold", Double.toString(similarity), () -> b.semanticCache(
                    new io.aegis.gateway.llm.cache.SemanticCache(new LinkedHashSet<>(semanticTenants), similarity, max,
                            new io.aegis.gateway.llm.cache.LexicalEmbedder(), System::nanoTime)));
        }

        List<ResponseValidator> validators = new ArrayList<>();
        if (c.bool("aegis.llm.validation.non-empty", true)) {
            validators.add(Validators.nonEmpty());
        }
        if (c.bool("aegis.llm.validation.json", true)) {
            validators.add(Validators.jsonAsRequested());
        }
        int maxLength = c.integer("aegis.llm.validation.max-length", 0, 0, Integer.MAX_VALUE);
        if (maxLength > 0) {
            int minLength = c.integer("aegis.llm.validation.min-length", 0, 0, maxLength);
            validators.add(Validators.length(minLength, maxLength));
        }
        List<String> banned = c.list("aegis.llm.validation.banned");
        if (!banned.isEmpty()) {
            validators.add(Validators.banned(banned));
        }
        b.validators(validators);

        Optional<String> priceFile = c.string("aegis.llm.prices.file");
        if (priceFile.isPresent()) {
            b.prices(c.parse("aegis.llm.prices.file", v -> PriceTable.defaults().withOverrides(Path.of(v))).orElseThrow());
        }
        return b;
    }

    private static <T> T connect(String key, String uri, Supplier<T> connect) {
        try {
            return connect.get();
        } catch (RuntimeException e) {
            throw new ConfigException(key, uri, "expected: a reachable Redis; " + e.getMessage(), e);
        }
    }

    private static BudgetLimits limits(AegisConfig c, String prefix) {
        BigDecimal daily = c.parse(prefix + "daily", Money::parseUsd).orElse(null);
        BigDecimal monthly = c.parse(prefix + "monthly", Money::parseUsd).orElse(null);
        return BudgetLimits.usd(daily, monthly);
    }

    private static List<Candidate> candidates(AegisConfig c, String key) {
        List<Candidate> out = new ArrayList<>();
        for (String s : c.list(key)) {
            // Provider names are lower-case (environment values are often written OPENAI); models keep their case.
            int slash = s.indexOf('/');
            String normalised = slash < 0 ? s.toLowerCase(Locale.ROOT)
                    : s.substring(0, slash).toLowerCase(Locale.ROOT) + s.substring(slash);
            out.add(c.parse(key, v -> Candidate.parse(normalised)).orElseThrow());
        }
        return out;
    }

    /** The configured providers: the five known names first, then the others in name order. */
    static List<ProviderSettings> providers(AegisConfig c) {
        Set<String> names = new LinkedHashSet<>(KNOWN);
        names.addAll(c.childNames("aegis.llm.providers"));
        for (Candidate cand : candidates(c, "aegis.llm.route.default")) {
            names.add(cand.provider());
        }
        List<ProviderSettings> out = new ArrayList<>();
        for (String name : names) {
            ProviderSettings s = provider(c, name);
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }

    private static ProviderSettings provider(AegisConfig c, String name) {
        String p = "aegis.llm.providers." + name + ".";
        boolean any = PROVIDER_KEYS.stream().anyMatch(k -> c.string(p + k).isPresent())
                || !c.childNames(p + "serving-prices").isEmpty();
        if (!any) {
            return null;
        }
        WireFormat format;
        if (c.string(p + "format").isPresent()) {
            format = c.choice(p + "format", WireFormat.class, WireFormat.OPENAI);
        } else {
            format = switch (name) {
                case "openai" -> WireFormat.OPENAI;
                case "anthropic" -> WireFormat.ANTHROPIC;
                case "gemini" -> WireFormat.GEMINI;
                case "huggingface" -> WireFormat.HUGGINGFACE;
                case "ollama" -> WireFormat.OLLAMA;
                case "tgi" -> WireFormat.TGI;
                case "echo" -> WireFormat.ECHO;
                default -> throw new ConfigException(p + "format", null,
                        "expected: the wire format of provider " + name + ": openai, openai-responses, anthropic, gemini,"
                                + " huggingface, tgi, ollama or echo");
            };
        }
        Optional<String> key = c.string(p + "api-key");
        Optional<String> keyFile = c.string(p + "api-key-file");
        if (key.isPresent() && keyFile.isPresent()) {
            throw new ConfigException(p + "api-key-file", keyFile.get(), "expected: either " + p + "api-key or "
                    + p + "api-key-file, not both");
        }
        String apiKey = key.orElse(null);
        if (keyFile.isPresent()) {
            try {
                apiKey = Files.readString(Path.of(keyFile.get()), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException e) {
                throw new ConfigException(p + "api-key-file", keyFile.get(), "expected: a readable file holding the key; "
                        + e.getClass().getSimpleName(), e);
            }
        }
        boolean hosted = format == WireFormat.OPENAI || format == WireFormat.OPENAI_RESPONSES || format == WireFormat.ANTHROPIC || format == WireFormat.GEMINI
                || format == WireFormat.HUGGINGFACE;
        if (hosted && (apiKey == null || apiKey.isBlank()) && c.string(p + "base-url").isEmpty()) {
            // A hosted provider with neither a key nor its own server cannot answer: not configured.
            return null;
        }
        ProviderSettings.Builder b = ProviderSettings.builder(name, format);
        String k = apiKey;
        apply(p + (keyFile.isPresent() ? "api-key-file" : "api-key"), null, () -> b.apiKey(k));
        c.string(p + "base-url").ifPresent(v -> apply(p + "base-url", v, () -> b.baseUrl(v)));
        c.string(p + "model").ifPresent(v -> apply(p + "model", v, () -> b.model(v)));
        Duration timeout = c.duration(p + "timeout", Duration.ofSeconds(60));
        apply(p + "timeout", timeout.toString(), () -> b.timeout(timeout));
        Duration connect = c.duration(p + "connect-timeout", Duration.ofSeconds(10));
        apply(p + "connect-timeout", connect.toString(), () -> b.connectTimeout(connect));
        Duration idle = c.duration(p + "idle-timeout", Duration.ofSeconds(30));
        apply(p + "idle-timeout", idle.toString(), () -> b.idleTimeout(idle));
        b.capability(c.choice(p + "capability", Capability.class, Capability.STANDARD));
        if (c.string(p + "context-window").isPresent()) {
            int window = c.integer(p + "context-window", 0, 256, Integer.MAX_VALUE);
            b.contextWindow(window);
        }
        c.string(p + "price").ifPresent(v -> {
            BigDecimal[] io = c.parse(p + "price", LlmConfig::pricePair).orElseThrow();
            b.prices(io[0], io[1]);
        });
        for (String serving : c.childNames(p + "serving-prices")) {
            String sk = p + "serving-prices." + serving;
            BigDecimal[] io = c.parse(sk, LlmConfig::pricePair).orElseThrow();
            apply(sk, null, () -> b.servingPrice(serving, io[0], io[1]));
        }
        c.string(p + "anthropic-version").ifPresent(v -> apply(p + "anthropic-version", v, () -> b.anthropicVersion(v)));
        return b.build();
    }

    private static final java.util.regex.Pattern KNOWN_KEYS = java.util.regex.Pattern.compile("aegis\\.llm\\.("
            + "providers\\.[a-z0-9-]+\\.(format|base-url|api-key|api-key-file|model|timeout|connect-timeout|idle-timeout"
            + "|capability|context-window|price|anthropic-version|serving-prices\\.[a-z0-9-]+)"
            + "|route\\.(default|mid-stream|buffer-tokens|buffer-time|hedge-after|hedge-adaptive"
            + "|types\\.[a-z0-9-]+\\.(min-capability|candidates))"
            + "|retry\\.(max-attempts|backoff|max-backoff|max-wait)"
            + "|circuit\\.(failure-threshold|cooldown|quota-park|credential-park)"
            + "|budget\\.(daily|monthly|store|fail-open|keys\\.[^.]+\\.(daily|monthly))"
            + "|cache\\.(enabled|store|max-entries|ttl|non-deterministic|semantic\\.(tenants|threshold|max-entries))"
            + "|redis\\.(uri|key-prefix|timeout)|prices\\.file"
            + "|validation\\.(non-empty|json|min-length|max-length|banned))");

    /** Warns about {@code aegis.llm.*} keys that nothing reads: usually typos. */
    static void warnUnknownKeys(AegisConfig c) {
        for (String name : c.propertyNames()) {
            if (name.startsWith(PREFIX) && !KNOWN_KEYS.matcher(name).matches()) {
                LOG.log(System.Logger.Level.WARNING, "configuration key " + name
                        + " is not read by the LLM client; is it misspelt? (see docs/llm.md)");
            }
        }
    }

    /** {@code input/output} in USD per million tokens, e.g. {@code 0.15/0.60}. */
    static BigDecimal[] pricePair(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0 || slash == text.length() - 1) {
            throw new IllegalArgumentException("expected: input/output USD per million tokens, e.g. 0.15/0.60");
        }
        return new BigDecimal[] {Money.parseUsd(text.substring(0, slash)), Money.parseUsd(text.substring(slash + 1))};
    }

    private static void apply(String key, String value, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key, value, e.getMessage(), e);
        }
    }

    private enum Store { MEMORY, REDIS }
}
