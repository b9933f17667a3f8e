package io.aegis.gateway.llm.cache;

import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.Message;
import io.aegis.gateway.llm.Role;
import java.time.Duration;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * An opt-in semantic cache: answers a request with the answer to a <em>similar</em> earlier one of
 * the same tenant. Only tenants named when it is built use it; everything but the last user message
 * (system prompt, earlier turns, parameters, format, tools, route) must be identical — that part is
 * the exact-match {@link CacheKey} of the request without its last question — and the last questions
 * must be at least {@code threshold} similar (cosine of their embeddings).
 *
 * <p><b>Negation and number guard</b>: two questions never match when their negation words
 * ({@code not}, {@code no}, {@code never}, {@code without}, {@code n't}, {@code 않}, {@code 없}, ...)
 * or their numbers differ, however similar they are otherwise: "is order 4521 shipped" is not
 * "is order 4521 not shipped", nor "is order 4522 shipped".
 *
 * <p>In memory: at most {@code maxEntries} questions per tenant and conversation context (oldest
 * dropped), at most 10,000 contexts (least recently used dropped), each answer for the TTL.
 * Thread-safe.
 */
public final class SemanticCache {

    private static final Set<String> NEGATIONS = Set.of("not", "no", "never", "none", "nobody", "nothing", "neither",
            "nor", "without", "cannot", "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont",
            "wouldnt", "shouldnt", "couldnt", "except", "exclude", "excluding", "nicht", "kein", "keine", "nie", "pas",
            "jamais", "sin", "nunca", "아니", "않", "없", "못", "말");

    private record Entry(float[] vector, Set<String> guard, LlmResponse response, long expiresAt) {
    }

    private final Set<String> tenants;
    private final double threshold;
    private final int maxEntries;
    private final Embedder embedder;
    private final LongSupplier nanoTime;
    private final Cache<String, Deque<Entry>> entries;

    /**
     * @param tenants the tenants that opted in (no other tenant is ever served or stored)
     * @param threshold the least cosine similarity of two questions, in (0, 1]
     * @param maxEntries questions kept per tenant and conversation context
     * @throws IllegalArgumentException for a threshold out of range or no tenant
     */
    public SemanticCache(Set<String> tenants, double threshold, int maxEntries, Embedder embedder,
                         LongSupplier nanoTime) {
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("tenants: none (expected: the tenants that opted in)");
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold: " + threshold + " (expected: > 0 and <= 1)");
        }
        if (maxEntries < 1) {
            throw new IllegalArgumentException("max-entries: " + maxEntries + " (expected: >= 1)");
        }
        this.tenants = Set.copyOf(tenants);
        this.threshold = threshold;
        this.maxEntries = maxEntries;
        this.embedder = Objects.requireNonNull(embedder, "embedder");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.entries = Caffeine.newBuilder().maximumSize(10_000).build();
    }

    /** Whether this request's tenant opted in and it ends with a user question. */
    public boolean applies(LlmRequest r) {
        return r.tenant() != null && tenants.contains(r.tenant()) && !r.messages().isEmpty()
                && r.messages().get(r.messages().size() - 1).role() == Role.USER;
    }

    private static String contextKey(LlmRequest r, List<String> route) {
        List<Message> context = new ArrayList<>(r.messages().subList(0, r.messages().size() - 1));
        context.add(Message.user(""));
        return CacheKey.of(r.toBuilder().clearMessages().messages(context).build(), route);
    }

    private static String question(LlmRequest r) {
        return r.messages().get(r.messages().size() - 1).content();
    }

    /** The negation words and numbers of a question: they must be equal for two questions to match. */
    static Set<String> guard(String question) {
        Set<String> g = new TreeSet<>();
        for (String w : LexicalEmbedder.words(question.replace("n't", " not").replace("n’t", " not"))) {
            String bare = w.toLowerCase(Locale.ROOT);
            if (NEGATIONS.contains(bare) || bare.chars().allMatch(Character::isDigit)) {
                g.add(bare);
            } else {
                for (String n : NEGATIONS) {
                    if (!n.chars().allMatch(c -> c < 128) && bare.contains(n)) {
                        g.add(n);
                    }
                }
            }
        }
        return g;
    }

    /** A similar earlier answer, if any. */
    public Optional<LlmResponse> get(LlmRequest r, List<String> route) {
        if (!applies(r)) {
            return Optional.empty();
        }
        Deque<Entry> list = entries.getIfPresent(r.tenant() + "|" + contextKey(r, route));
        if (list == null) {
            return Optional.empty();
        }
        String q = question(r);
        float[] v = embedder.embed(q);
        Set<String> g = guard(q);
        long now = nanoTime.getAsLong();
        synchronized (list) {
            list.removeIf(e -> now - e.expiresAt() >= 0);
            LlmResponse best = null;
            double bestScore = threshold;
            for (Entry e : list) {
                if (!e.guard().equals(g)) {
                    continue;
                }
                double s = cosine(v, e.vector());
                if (s >= bestScore) {
                    best = e.response();
                    bestScore = s;
                }
            }
            return Optional.ofNullable(best);
        }
    }

    /** Remembers an answer. */
    public void put(LlmRequest r, List<String> route, LlmResponse response, Duration ttl) {
        if (!applies(r)) {
            return;
        }
        String q = question(r);
        Entry e = new Entry(embedder.embed(q), guard(q), response, nanoTime.getAsLong() + ttl.toNanos());
        Deque<Entry> list = entries.get(r.tenant() + "|" + contextKey(r, route), k -> new ArrayDeque<>());
        synchronized (list) {
            list.addFirst(e);
            while (list.size() > maxEntries) {
                list.removeLast();
            }
        }
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            return 0;
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }
}
