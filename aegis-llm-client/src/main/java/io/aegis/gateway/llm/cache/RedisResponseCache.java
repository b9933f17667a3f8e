package io.aegis.gateway.llm.cache;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aegis.gateway.llm.FinishReason;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.ToolCall;
import io.aegis.gateway.llm.Usage;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers in Redis, shared by replicas, as JSON under {@code <prefix>cache:<key>} with the TTL as
 * expiry. A Redis failure is a miss (logged once per failure streak), never an error of the call.
 * Thread-safe.
 */
public final class RedisResponseCache implements ResponseCache {

    private static final System.Logger LOG = System.getLogger(RedisResponseCache.class.getName());
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final String prefix;
    private volatile boolean failing;

    private RedisResponseCache(RedisClient client, StatefulRedisConnection<String, String> connection, String prefix) {
        this.client = client;
        this.connection = connection;
        this.prefix = prefix;
    }

    /**
     * Connects to Redis.
     *
     * @throws IllegalStateException when Redis cannot be reached
     */
    public static RedisResponseCache connect(String uri, String keyPrefix, Duration timeout) {
        RedisURI u = RedisURI.create(uri);
        u.setTimeout(timeout);
        RedisClient client = RedisClient.create(u);
        try {
            StatefulRedisConnection<String, String> c = client.connect();
            c.setTimeout(timeout);
            return new RedisResponseCache(client, c, keyPrefix);
        } catch (RedisException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            throw new IllegalStateException("response cache: cannot connect to Redis at " + u.getHost() + ":" + u.getPort(), e);
        }
    }

    @Override
    public Optional<LlmResponse> get(String key) {
        try {
            String v = connection.sync().get(prefix + "cache:" + key);
            ok();
            return v == null ? Optional.empty() : Optional.of(decode(v));
        } catch (RedisException e) {
            fail(e);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void put(String key, LlmResponse r, Duration ttl) {
        try {
            connection.sync().set(prefix + "cache:" + key, encode(r), SetArgs.Builder.px(Math.max(1, ttl.toMillis())));
            ok();
        } catch (RedisException e) {
            fail(e);
        }
    }

    private void ok() {
        failing = false;
    }

    private void fail(RedisException e) {
        if (!failing) {
            failing = true;
            LOG.log(System.Logger.Level.WARNING, "LLM response cache: Redis failed, treating lookups as misses: " + e.getMessage());
        }
    }

    static String encode(LlmResponse r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("content", r.content()).put("finish", r.finishReason().name()).put("provider", r.provider())
                .put("requestModel", r.requestModel()).put("model", r.model());
        for (ToolCall c : r.toolCalls()) {
            n.withArray("toolCalls").addObject().put("id", c.id()).put("name", c.name()).put("arguments", c.arguments());
        }
        Usage u = r.usage();
        n.putObject("usage").put("in", u.inputTokens()).put("out", u.outputTokens()).put("cacheRead", u.cacheReadTokens())
                .put("cacheWrite", u.cacheWriteTokens()).put("reasoning", u.reasoningTokens()).put("estimated", u.estimated());
        if (r.cost() != null) {
            n.put("cost", r.cost().toPlainString());
        }
        return n.toString();
    }

    static LlmResponse decode(String json) {
        try {
            JsonNode n = MAPPER.readTree(json);
            List<ToolCall> calls = new ArrayList<>();
            for (JsonNode c : n.path("toolCalls")) {
                calls.add(new ToolCall(c.path("id").asText(), c.path("name").asText(), c.path("arguments").asText()));
            }
            JsonNode u = n.path("usage");
            return LlmResponse.builder().content(n.path("content").asText()).finishReason(FinishReason.valueOf(n.path("finish").asText()))
                    .toolCalls(calls).provider(n.path("provider").asText()).requestModel(n.path("requestModel").asText())
                    .model(n.path("model").asText())
                    .usage(new Usage(u.path("in").asLong(), u.path("out").asLong(), u.path("cacheRead").asLong(),
                            u.path("cacheWrite").asLong(), u.path("reasoning").asLong(), u.path("estimated").asBoolean()))
                    .cost(n.hasNonNull("cost") ? new BigDecimal(n.path("cost").asText()) : null).build();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cached answer is not JSON", e);
        }
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
