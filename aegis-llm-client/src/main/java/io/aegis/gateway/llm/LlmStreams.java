package io.aegis.gateway.llm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;

/** Helpers for consuming a stream of {@link StreamEvent}s. */
public final class LlmStreams {

    private LlmStreams() {
    }

    /**
     * Subscribes with unbounded demand and completes with the {@link StreamEvent.Done} answer, or
     * exceptionally with the stream's {@link LlmException}.
     */
    public static CompletableFuture<LlmResponse> collect(Flow.Publisher<StreamEvent> stream) {
        CompletableFuture<LlmResponse> out = new CompletableFuture<>();
        stream.subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                out.whenComplete((r, e) -> {
                    if (out.isCancelled()) {
                        s.cancel();
                    }
                });
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(StreamEvent e) {
                if (e instanceof StreamEvent.Done d) {
                    out.complete(d.response());
                }
            }

            @Override
            public void onError(Throwable t) {
                out.completeExceptionally(t);
            }

            @Override
            public void onComplete() {
                if (!out.isDone()) {
                    out.completeExceptionally(new LlmException(LlmErrorKind.STREAM_INTERRUPTED,
                            "stream completed without an answer"));
                }
            }
        });
        return out;
    }
}
