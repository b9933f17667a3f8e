package io.aegis.gateway.llm.internal;

import io.aegis.gateway.llm.LlmErrorKind;
import io.aegis.gateway.llm.LlmException;
import io.aegis.gateway.llm.LlmRequest;
import io.aegis.gateway.llm.StreamEvent;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed provider call as a cold {@link Flow.Publisher}: each subscription sends one request.
 * Network chunks are requested one at a time and only while the subscriber has demand, so a slow
 * subscriber slows the read instead of filling memory. Two timers: the idle timeout runs while a
 * chunk is awaited (time to first byte, then gaps between chunks: a stalled provider), the total
 * timeout from the start. Cancelling, or any end, closes the HTTP stream.
 */
final class HttpStream implements Flow.Publisher<StreamEvent> {

    private final HttpProvider provider;
    private final LlmRequest request;
    private final String model;

    HttpStream(HttpProvider provider, LlmRequest request, String model) {
        this.provider = provider;
        this.request = request;
        this.model = model;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super StreamEvent> subscriber) {
        Emitter<StreamEvent> emitter = new Emitter<>(subscriber);
        Call call = new Call(emitter);
        emitter.start(call);
        call.send();
    }

    private final class Call implements Emitter.Source, Flow.Subscriber<List<ByteBuffer>> {
        private final Emitter<StreamEvent> emitter;
        private final Decoder decoder;
        private final AtomicBoolean outstanding = new AtomicBoolean();
        private volatile Flow.Subscription upstream;
        private volatile CompletableFuture<HttpResponse<Flow.Publisher<List<ByteBuffer>>>> pending;
        private volatile ScheduledFuture<?> idleTimer;
        private volatile ScheduledFuture<?> totalTimer;
        private volatile boolean closed;

        Call(Emitter<StreamEvent> emitter) {
            this.emitter = emitter;
            this.decoder = provider.decoder(emitter::offer, request, model);
        }

        void send() {
            if (closed) {
                return;
            }
            HttpRequest r;
            try {
                r = provider.httpRequest(request, model, true);
            } catch (RuntimeException e) {
                emitter.fail(e);
                return;
            }
            Duration total = provider.settings().timeout();
            totalTimer = provider.scheduler.schedule(() -> timeout("no complete answer within " + total),
                    total.toMillis(), TimeUnit.MILLISECONDS);
            armIdle();
            pending = provider.http.sendAsync(r, HttpResponse.BodyHandlers.ofPublisher());
            pending.whenComplete((resp, ex) -> {
                if (ex != null) {
                    fail(Errors.transport(ex, provider.name(), model));
                    return;
                }
                if (closed) {
                    resp.body().subscribe(new Discard());
                    return;
                }
                if (resp.statusCode() / 100 != 2) {
                    BoundedBody body = new BoundedBody(HttpProvider.MAX_ERROR_BYTES, false);
                    resp.body().subscribe(body);
                    body.getBody().whenComplete((bytes, e2) -> fail(provider.classify(resp.statusCode(), resp.headers(),
                            bytes == null ? new byte[0] : bytes, model)));
                    return;
                }
                resp.body().subscribe(this);
            });
        }

        private void armIdle() {
            Duration idle = provider.settings().idleTimeout();
            ScheduledFuture<?> old = idleTimer;
            if (old != null) {
                old.cancel(false);
            }
            idleTimer = provider.scheduler.schedule(() -> timeout("no data for " + idle + " (idle timeout)"),
                    idle.toMillis(), TimeUnit.MILLISECONDS);
        }

        private void disarmIdle() {
            ScheduledFuture<?> t = idleTimer;
            if (t != null) {
                t.cancel(false);
            }
        }

        private void timeout(String why) {
            fail(new LlmException(LlmErrorKind.TIMEOUT, provider.name() + "/" + model + ": " + why
                    + (decoder.accumulator().started() ? " after partial output" : ""),
                    provider.name(), model, 0, null, null, null, null));
        }

        private void fail(LlmException e) {
            emitter.fail(e);
            cancel();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            upstream = s;
            if (closed) {
                s.cancel();
                return;
            }
            emitter.drain();
        }

        @Override
        public void pull() {
            Flow.Subscription s = upstream;
            if (s != null && !closed && outstanding.compareAndSet(false, true)) {
                armIdle();
                s.request(1);
            }
        }

        @Override
        public void onNext(List<ByteBuffer> chunks) {
            disarmIdle();
            if (closed) {
                return;
            }
            try {
                for (ByteBuffer b : chunks) {
                    decoder.feed(b);
                    if (decoder.finished()) {
                        decoder.end();
                        emitter.complete();
                        cancel();
                        return;
                    }
                }
            } catch (LlmException e) {
                fail(e);
                return;
            } catch (RuntimeException e) {
                fail(new LlmException(LlmErrorKind.SERVER_ERROR, provider.name() + "/" + model
                        + ": unreadable stream (" + e.getMessage() + ")", provider.name(), model, 0, null, null, null, e));
                return;
            }
            outstanding.set(false);
            emitter.drain();
        }

        @Override
        public void onError(Throwable t) {
            if (closed) {
                return;
            }
            LlmException e = Errors.transport(t, provider.name(), model);
            fail(new LlmException(LlmErrorKind.STREAM_INTERRUPTED, provider.name() + "/" + model
                    + ": stream broke (" + e.getMessage() + ")", provider.name(), model, 0, null, null, null, t));
        }

        @Override
        public void onComplete() {
            if (closed) {
                return;
            }
            try {
                decoder.end();
                emitter.complete();
            } catch (LlmException e) {
                emitter.fail(e);
            }
            cancel();
        }

        @Override
        public void cancel() {
            if (closed) {
                return;
            }
            closed = true;
            disarmIdle();
            ScheduledFuture<?> t = totalTimer;
            if (t != null) {
                t.cancel(false);
            }
            Flow.Subscription s = upstream;
            if (s != null) {
                s.cancel();
            } else if (pending != null) {
                pending.cancel(true);
            }
        }
    }

    /** Drains and drops a body that arrived after the call was cancelled. */
    private static final class Discard implements Flow.Subscriber<List<ByteBuffer>> {
        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onComplete() {
        }
    }
}
