package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.FinishReason;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.Message;
import io.aegis.gateway.llm.ProviderSettings;
import io.aegis.gateway.llm.Role;
import io.aegis.gateway.llm.StreamEvent;
import io.aegis.gateway.llm.Usage;
import io.aegis.gateway.llm.spi.LlmProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built-in local provider: answers {@code Echo: <last user message>} (or {@code {"echo": "..."}}
 * when JSON is asked for) without any network, so demos and tests run offline. Deterministic;
 * usage is estimated; it costs nothing. It continues a trailing assistant message (prefill).
 */
public final class EchoProvider implements LlmProvider {

    private static final Pattern WORDS = Pattern.compile("\\S+\\s*|\\s+");

    private final ProviderSettings settings;

    public EchoProvider(ProviderSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String genAiProviderName() {
        return settings.format().genAiProviderName();
    }

    @Override
    public String defaultModel() {
        return settings.model();
    }

    @Override
    public String credentialId() {
        return "none";
    }

    @Override
    public boolean supportsPrefill() {
        return true;
    }

    /** The answer text, without a prefill the request already holds. */
    static String answer(LlmRequest request) {
        String last = "";
        List<Message> messages = request.messages();
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                last = messages.get(i).content();
                break;
            }
        }
        String text = request.responseFormat().json()
                ? "{\"echo\": " + Json.MAPPER.getNodeFactory().textNode(last) + "}"
                : "Echo: " + (last.isBlank() ? "(nothing to echo)" : last.strip());
        Message tail = messages.get(messages.size() - 1);
        if (tail.role() == Role.ASSISTANT && text.startsWith(tail.content())) {
            return text.substring(tail.content().length());
        }
        return text;
    }

    private LlmResponse response(LlmRequest request, String model, String text) {
        int max = request.maxTokensOrDefault();
        long out = TokenEstimator.estimateText(text);
        FinishReason finish = FinishReason.STOP;
        if (out > max) {
            text = text.substring(0, Math.min(text.length(), max * 3));
            out = max;
            finish = FinishReason.LENGTH;
        }
        return LlmResponse.builder().content(text).finishReason(finish)
                .usage(Usage.estimated(TokenEstimator.estimateInput(request), out)).provider(name()).requestModel(model)
                .model(model).build();
    }

    @Override
    public CompletableFuture<LlmResponse> complete(LlmRequest request, String model) {
        return CompletableFuture.completedFuture(response(request, model, answer(request)));
    }

    @Override
    public Flow.Publisher<StreamEvent> stream(LlmRequest request, String model) {
        return subscriber -> {
            Emitter<StreamEvent> emitter = new Emitter<>(subscriber);
            LlmResponse r = response(request, model, answer(request));
            List<StreamEvent> events = new ArrayList<>();
            Matcher m = WORDS.matcher(r.content());
            while (m.find()) {
                events.add(new StreamEvent.Delta(m.group()));
            }
            events.add(new StreamEvent.UsageReport(r.usage()));
            events.add(new StreamEvent.Done(r));
            emitter.start(new Emitter.Source() {
                private int next;
                private boolean pulling;

                @Override
                public synchronized void pull() {
                    // Offering re-enters pull() through the drain loop: loop here instead of recursing.
                    if (pulling) {
                        return;
                    }
                    pulling = true;
                    try {
                        while (next < events.size() && emitter.demand() > 0 && !emitter.isCancelled()) {
                            emitter.offer(events.get(next++));
                            if (next == events.size()) {
                                emitter.complete();
                            }
                        }
                    } finally {
                        pulling = false;
                    }
                }

                @Override
                public void cancel() {
                    next = events.size();
                }
            });
        };
    }
}
