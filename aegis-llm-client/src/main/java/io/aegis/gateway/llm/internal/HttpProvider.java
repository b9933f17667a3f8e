package io.aegis.gateway.llm.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.LlmResponse;
import io.aegis.gateway.llm.ProviderSettings;
import io.aegis.gateway.llm.StreamEvent;
import io.aegis.gateway.llm.spi.LlmProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The common part of the HTTP wire formats: sending, bounded bodies, timeouts, error mapping. */
public abstract class HttpProvider implements LlmProvider {

    static final int MAX_ANSWER_BYTES = 16 << 20;
    static final int MAX_ERROR_BYTES = 64 << 10;
    static final int MAX_LINE_BYTES = 4 << 20;

    protected final ProviderSettings settings;
    protected final HttpClient http;
    protected final ScheduledExecutorService scheduler;
    protected final Clock clock;

    protected HttpProvider(ProviderSettings settings, ScheduledExecutorService scheduler, Clock clock) {
        this.settings = settings;
        this.scheduler = scheduler;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
        return settings.credentialId();
    }

    @Override
    public boolean supportsPrefill() {
        return false;
    }

    public ProviderSettings settings() {
        return settings;
    }

    /** The request body. */
    protected abstract ObjectNode body(LlmRequest request, String model, boolean stream);

    /** The endpoint. */
    protected abstract URI uri(String model, boolean stream);

    /** Authentication and version headers. */
    protected abstract void headers(HttpRequest.Builder b);

    /** A non-streamed answer. @throws LlmException when the body reports a failure */
    protected abstract LlmResponse parse(JsonNode body, LlmRequest request, String model);

    /** A stream decoder. */
    protected abstract Decoder decoder(Consumer<StreamEvent> sink, LlmRequest request, String model);

    /** An HTTP error. */
    protected abstract LlmException classify(int status, HttpHeaders headers, byte[] body, String model);

    /** Shortcut for subclasses. */
    protected String url(String path) {
        return settings.baseUrl() + path;
    }

    HttpRequest httpRequest(LlmRequest request, String model, boolean stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(model, stream))
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", stream ? "text/event-stream, application/x-ndjson" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body(request, model, stream))));
        headers(b);
        return b.build();
    }

    @Override
    public CompletableFuture<LlmResponse> complete(LlmRequest request, String model) {
        HttpRequest r;
        try {
            r = httpRequest(request, model, false);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(r, info -> info.statusCode() / 100 == 2
                ? new BoundedBody(MAX_ANSWER_BYTES, true) : new BoundedBody(MAX_ERROR_BYTES, false));
        CompletableFuture<LlmResponse> out = new CompletableFuture<>();
        call.whenComplete((resp, ex) -> {
            if (ex != null) {
                out.completeExceptionally(Errors.transport(ex, name(), model));
                return;
            }
            try {
                if (resp.statusCode() / 100 != 2) {
                    out.completeExceptionally(classify(resp.statusCode(), resp.headers(), resp.body(), model));
                    return;
                }
                JsonNode json = Json.parseOrNull(resp.body());
                if (json == null || !json.isObject()) {
                    out.completeExceptionally(new LlmException(LlmErrorKind.SERVER_ERROR, name() + "/" + model
                            + ": answer is not a JSON object", name(), model, resp.statusCode(), null, null, null, null));
                    return;
                }
                out.complete(parse(json, request, model));
            } catch (LlmException e) {
                out.completeExceptionally(e);
            } catch (RuntimeException e) {
                out.completeExceptionally(new LlmException(LlmErrorKind.SERVER_ERROR, name() + "/" + model
                        + ": unreadable answer (" + e.getMessage() + ")", name(), model, resp.statusCode(), null,
                        null, null, e));
            }
        });
        // The JDK timeout covers the response headers only; this one covers the body too.
        var timer = scheduler.schedule(() -> {
            if (out.completeExceptionally(new LlmException(LlmErrorKind.TIMEOUT, name() + "/" + model
                    + ": no complete answer within " + settings.timeout(), name(), model, 0, null, null, null, null))) {
                call.cancel(true);
            }
        }, settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        out.whenComplete((v, e) -> {
            timer.cancel(false);
            if (out.isCancelled()) {
                call.cancel(true);
            }
        });
        return out;
    }

    @Override
    public Flow.Publisher<StreamEvent> stream(LlmRequest request, String model) {
        return new HttpStream(this, request, model);
    }
}
